package com.orgkeys.persistence.webhook;

import com.orgkeys.application.testing.MutableClock;
import com.orgkeys.application.webhook.port.in.DeliverWebhooksUseCase.Outcome;
import com.orgkeys.application.webhook.port.out.ClaimedDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDelivery;
import com.orgkeys.application.webhook.service.WebhookDeliveryService;
import com.orgkeys.application.webhook.service.WebhookEventRecorder;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookSecret;
import com.orgkeys.domain.webhook.WebhookUrl;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.metadata.JacksonMetadataJson;
import com.orgkeys.persistence.testing.TestPostgres;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks as nodes deliver them: events written with PostgreSQL, sent by HttpWebhookSender to a real HTTP receiver
 * in this JVM, and verified there with the standardwebhooks library (an implementation that is not ours).
 */
class WebhookDeliveryOnPostgresTest {
    /** A receiver: what it got, per request, with the headers in lower case as verifiers look them up. */
    private static final class Receiver implements AutoCloseable {
        record Received(Map<String, List<String>> headers, String body) {
            String header(String name) {
                return headers.get(name).getFirst();
            }
        }

        final List<Received> received = new CopyOnWriteArrayList<>();
        final HttpServer server;
        volatile int status = 204;

        Receiver(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/hooks", exchange -> {
                Map<String, List<String>> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
                received.add(new Received(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                byte[] answer = ("thanks " + "x".repeat(5000)).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, status == 204 ? -1 : answer.length);
                if (status != 204) exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        WebhookUrl url() {
            return WebhookUrl.parse("http://127.0.0.1:" + port() + "/hooks");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private final DatabaseUrl url = TestPostgres.newDatabase();
    private final Database nodeA = Database.connect(url, 8);
    private final Database nodeB = Database.connect(url, 8);
    private final Jdbc jdbcA = new Jdbc(nodeA.dataSource());
    private final Jdbc jdbcB = new Jdbc(nodeB.dataSource());
    // near the real time: the verifier refuses timestamps more than 5 minutes away from its clock
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final JdbcWebhookEndpointRepository endpoints = WebhookSecretsOnPostgres.endpoints(jdbcA);
    private final WebhookEventRecorder events = new WebhookEventRecorder(endpoints, new JdbcWebhookDeliveryRepository(jdbcA),
            JacksonMetadataJson.INSTANCE, jdbcA, clock);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) c.close();
        nodeA.close();
        nodeB.close();
    }

    private Receiver receiver(int port) throws IOException {
        Receiver receiver = new Receiver(port);
        toClose.add(receiver);
        return receiver;
    }

    private WebhookDeliveryService node(Jdbc jdbc) {
        return new WebhookDeliveryService(WebhookSecretsOnPostgres.endpoints(jdbc), new JdbcWebhookDeliveryRepository(jdbc),
                new HttpWebhookSender(true), jdbc, clock);
    }

    private WebhookEndpoint endpoint(WebhookUrl url) {
        WebhookEndpoint endpoint = WebhookEndpoint.create(Optional.empty(), url, "test receiver", EventFilter.ALL,
                clock.instant());
        endpoints.add(endpoint);
        return endpoint;
    }

    private String recorded(String type, Map<String, Object> data) {
        return jdbcA.inTransaction(() -> events.record(Optional.empty(), type, data)).orElseThrow();
    }

    private static List<Outcome> deliverDue(WebhookDeliveryService node) {
        return node.claimDue(50).stream().map(node::deliver).toList();
    }

    private static void verify(WebhookSecret secret, Receiver.Received received) throws Exception {
        new Webhook(secret.value()).verify(received.body(), received.headers());
        // the svix names carry the same values: a receiver written for svix or Clerk verifies them
        Map<String, List<String>> svixOnly = new HashMap<>();
        svixOnly.put("webhook-id", received.headers().get("svix-id"));
        svixOnly.put("webhook-timestamp", received.headers().get("svix-timestamp"));
        svixOnly.put("webhook-signature", received.headers().get("svix-signature"));
        new Webhook(secret.value()).verify(received.body(), svixOnly);
    }

    @Test
    void a_recorded_event_reaches_the_receiver_signed_so_that_the_standardwebhooks_library_verifies_it() throws Exception {
        Receiver receiver = receiver(0);
        WebhookEndpoint endpoint = endpoint(receiver.url());
        String id = recorded("apiKey.created", Map.of("object", "api_key", "id", "ak_1", "name", "Ünïcödé \"CI\""));

        List<Outcome> outcomes = deliverDue(node(jdbcA));

        assertEquals(List.of(true), outcomes.stream().map(Outcome::delivered).toList());
        assertEquals(1, receiver.received.size());
        Receiver.Received received = receiver.received.getFirst();
        assertEquals(id, received.header("webhook-id"));
        verify(endpoint.secret(), received);
        assertTrue(received.body().startsWith("{\"data\":{"), received.body());
        assertTrue(received.body().contains("\"type\":\"apiKey.created\""), received.body());
        assertTrue(received.body().contains("Ünïcödé \\\"CI\\\""), received.body());
        assertEquals(List.of(), deliverDue(node(jdbcA)), "delivered once");
    }

    @Test
    void during_a_rotation_a_verifier_with_either_secret_accepts_the_delivery() throws Exception {
        Receiver receiver = receiver(0);
        WebhookEndpoint endpoint = endpoint(receiver.url());
        WebhookEndpoint rotated = endpoint.rotateSecret(WebhookSecret.generate(), clock.instant());
        endpoints.update(rotated);
        recorded("user.created", Map.of("id", "user_1"));

        deliverDue(node(jdbcA));

        verify(endpoint.secret(), receiver.received.getFirst());
        verify(rotated.secret(), receiver.received.getFirst());
    }

    @Test
    void a_receiver_down_gets_the_event_on_a_retry_once_it_is_back_and_a_failed_answer_is_kept_truncated() throws Exception {
        Receiver first = receiver(0);
        int port = first.port();
        WebhookEndpoint endpoint = endpoint(first.url());
        first.status = 503;
        String id = recorded("user.created", Map.of("id", "user_1"));

        Outcome answered503 = deliverDue(node(jdbcA)).getFirst();
        assertEquals(Optional.of(503), answered503.status());
        first.close();
        clock.advance(Duration.ofSeconds(6));
        Outcome unreachable = deliverDue(node(jdbcA)).getFirst();
        assertFalse(unreachable.delivered());
        assertTrue(unreachable.error().orElseThrow().startsWith("not reached"), unreachable.error().orElseThrow());

        Receiver back = receiver(port);
        assertEquals(List.of(), deliverDue(node(jdbcA)), "not before the next attempt is due");
        clock.advance(Duration.ofMinutes(6));
        assertEquals(List.of(true), deliverDue(node(jdbcA)).stream().map(Outcome::delivered).toList());
        assertEquals(id, back.received.getFirst().header("webhook-id"));
        assertEquals(id, first.received.getFirst().header("webhook-id"), "the same id on every attempt");

        var attempts = new JdbcWebhookDeliveryRepository(jdbcA).attempts(endpoint.id(), 10);
        assertEquals(List.of(3, 2, 1), attempts.stream().map(a -> a.attempt()).toList());
        assertEquals(1024, attempts.getLast().responseBody().length(), "the first 1 KB of the answer");
        assertEquals(Optional.of(503), attempts.getLast().responseStatus());
        assertEquals(Optional.empty(), attempts.get(1).responseStatus());
    }

    @Test
    void two_nodes_delivering_one_table_at_once_send_each_event_once() throws Exception {
        Receiver receiver = receiver(0);
        endpoint(receiver.url());
        int events = 120;
        for (int i = 0; i < events; i++) recorded("user.updated", Map.of("n", i));
        WebhookDeliveryService a = node(jdbcA);
        WebhookDeliveryService b = node(jdbcB);
        AtomicInteger delivered = new AtomicInteger();

        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                WebhookDeliveryService node = w % 2 == 0 ? a : b;
                running.add(workers.submit(() -> {
                    List<ClaimedDelivery> claimed;
                    while (!(claimed = node.claimDue(5)).isEmpty()) {
                        for (ClaimedDelivery delivery : claimed) {
                            if (node.deliver(delivery).delivered()) delivered.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        }

        Map<String, Integer> perId = new ConcurrentHashMap<>();
        receiver.received.forEach(r -> perId.merge(r.header("webhook-id"), 1, Integer::sum));
        assertEquals(events, perId.size());
        assertEquals(Map.of(), perId.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "sent twice");
        assertEquals(events, delivered.get());
        assertEquals(0L, jdbcA.count("SELECT count(*) FROM webhook_deliveries WHERE status <> ?",
                WebhookDelivery.Status.SUCCEEDED.name()));
    }

    @Test
    void a_node_killed_with_deliveries_in_flight_leaves_them_to_another_node_when_the_lease_ends() throws Exception {
        Receiver receiver = receiver(0);
        endpoint(receiver.url());
        String id = recorded("user.created", Map.of("id", "user_1"));

        List<ClaimedDelivery> claimedByTheDeadNode = node(jdbcA).claimDue(10);
        nodeA.close(); // killed after its claim committed, before it sent anything
        WebhookDeliveryService survivor = node(jdbcB);
        assertEquals(List.of(), survivor.claimDue(10), "leased to the dead node");
        clock.advance(WebhookDeliveryService.LEASE);

        assertEquals(List.of(true), deliverDue(survivor).stream().map(Outcome::delivered).toList());
        assertEquals(1, claimedByTheDeadNode.size());
        assertEquals(id, receiver.received.getFirst().header("webhook-id"));
    }
}
