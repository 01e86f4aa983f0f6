package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orgkeys.application.apikeyexpiry.port.in.SendExpiryNoticesUseCase.Sent;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookUrl;
import com.orgkeys.persistence.database.Database;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * apiKey.expiring and apiKey.expired through the whole application (issue 24): the server's clock is moved two
 * minutes (not days, so that the signatures' timestamps stay within the verifier's five minutes), the job is run as
 * its minute would run it, and a receiver on this machine verifies what arrives with the standardwebhooks library.
 */
class ApiKeyExpiryWebhookApiTest {
    private record Received(Map<String, List<String>> headers, String body) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final HttpServer receiver;
    private final TestServer server = TestServer.start(Map.of("WEBHOOKS_ALLOW_PRIVATE", "true"));
    private final Database database = Database.connect(server.database, 2);

    ApiKeyExpiryWebhookApiTest() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hooks", exchange -> {
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            received.add(new Received(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        database.close();
        server.close();
    }

    @Test
    void a_key_entering_its_last_week_and_one_expiring_are_told_once_each_and_a_revoked_one_nothing() throws Exception {
        Api admin = server.signUp("x" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        var organization = admin.post("/api/organizations", body("name", "Expiring Inc"));
        assertEquals(201, organization.status(), organization.toString());
        WebhookEndpoint endpoint = StoredWebhookEndpoints.add(database.dataSource(), WebhookEndpoint.create(
                Optional.of(OrganizationId.parse(organization.text("id"))),
                WebhookUrl.parse("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks"), "local receiver",
                new EventFilter(Set.of("apiKey.expiring", "apiKey.expired")), Instant.now()));
        long week = Duration.ofDays(7).toSeconds();
        var weekAndAMinute = admin.post("/api/api-keys", body("name", "quarterly", "scopes", List.of("org:agents:read"),
                "secondsUntilExpiration", week + 60));
        var minute = admin.post("/api/api-keys", body("name", "one-off", "scopes", List.of("org:agents:read"),
                "secondsUntilExpiration", 60));
        var revoked = admin.post("/api/api-keys", body("name", "leaked", "scopes", List.of("org:agents:read"),
                "secondsUntilExpiration", 60));
        for (var key : List.of(weekAndAMinute, minute, revoked)) assertEquals(201, key.status(), key.toString());
        assertEquals(200, admin.post("/api/api-keys/" + revoked.text("id") + "/revoke", body("revocationReason", "leaked"))
                .status());

        server.app.sendExpiryNotices();
        assertEquals(Map.of(), messageCounts(), "nothing due yet");
        server.clock.advance(Duration.ofMinutes(2));
        // the server's own minute may run the job at the same time (then this run is skipped or finds less): poll
        Map<String, Long> once = Map.of("apiKey.expiring", 1L, "apiKey.expired", 1L);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!messageCounts().equals(once) && System.nanoTime() < deadline) server.app.sendExpiryNotices();
        assertEquals(once, messageCounts(),
                "one message each: none for the revoked key, no expiring one for the key made with a minute left");
        Sent again = server.app.sendExpiryNotices();
        assertEquals(0, again.expiring() + again.expired(), "once: " + again);

        JsonNode expiring = receive(endpoint);
        JsonNode expired = receive(endpoint);
        if (expiring.get("type").asText().equals("apiKey.expired")) {
            JsonNode first = expiring;
            expiring = expired;
            expired = first;
        }
        assertEquals("apiKey.expiring", expiring.get("type").asText());
        assertEquals(weekAndAMinute.text("id"), expiring.get("data").get("id").asText());
        assertFalse(expiring.get("data").get("expired").asBoolean());
        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "expiry").secret());
        var shown = (com.fasterxml.jackson.databind.node.ObjectNode) backend.get("/v1/api_keys/" + weekAndAMinute.text("id")).body();
        assertTrue(shown.remove("secret").isNull(), "a read never shows the secret; an event has no such field");
        assertEquals(shown, expiring.get("data"), "the key as the backend API shows it");
        assertEquals("apiKey.expired", expired.get("type").asText());
        assertEquals(minute.text("id"), expired.get("data").get("id").asText());
        assertTrue(expired.get("data").get("expired").asBoolean());
        assertFalse(expired.get("data").get("revoked").asBoolean());
        for (JsonNode event : List.of(expiring, expired)) {
            for (var key : List.of(weekAndAMinute, minute)) assertFalse(event.toString().contains(key.text("secret")));
        }
        assertEquals(once, messageCounts(), "and no more after them");
    }

    /** The next delivery (20 s at most), verified with the endpoint's secret. */
    private JsonNode receive(WebhookEndpoint endpoint) throws Exception {
        Received delivery = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(delivery, "no delivery within 20 s");
        new Webhook(endpoint.secret().value()).verify(delivery.body(), delivery.headers()); // throws if not valid
        return new ObjectMapper().readTree(delivery.body());
    }

    private Map<String, Long> messageCounts() throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (var connection = database.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery(
                     "SELECT type, count(*) AS n FROM webhook_messages GROUP BY type")) {
            while (rows.next()) counts.put(rows.getString("type"), rows.getLong("n"));
        }
        return counts;
    }
}
