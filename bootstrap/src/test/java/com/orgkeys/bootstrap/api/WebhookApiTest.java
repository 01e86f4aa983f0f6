package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookUrl;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.webhook.JdbcWebhookEndpointRepository;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Webhooks through the whole application (issue 24): a key created over the API reaches a receiver on this machine
 * (WEBHOOKS_ALLOW_PRIVATE=true, as a developer would run it), signed so that the standardwebhooks library verifies it.
 */
class WebhookApiTest {
    private record Received(Map<String, List<String>> headers, String body) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final HttpServer receiver;
    private final TestServer server = TestServer.start(Map.of("WEBHOOKS_ALLOW_PRIVATE", "true"));
    private final Database database = Database.connect(server.database, 2);

    WebhookApiTest() throws Exception {
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
    void a_key_created_over_the_api_reaches_the_organization_s_endpoint_signed_and_without_its_secret() throws Exception {
        Api admin = server.signUp("w" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        var organization = admin.post("/api/organizations", body("name", "Hooked Inc"));
        assertEquals(201, organization.status(), organization.toString());
        WebhookEndpoint endpoint = WebhookEndpoint.create(Optional.of(OrganizationId.parse(organization.text("id"))),
                WebhookUrl.parse("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks"), "local receiver",
                EventFilter.ALL, Instant.now());
        Jdbc jdbc = new Jdbc(database.dataSource());
        new JdbcWebhookEndpointRepository(jdbc, new com.orgkeys.application.webhook.service.ServerKeyWebhookSecrets(
                new com.orgkeys.application.secret.service.ServerSecretService(
                        new com.orgkeys.persistence.secret.JdbcServerSecrets(jdbc), jdbc, java.time.Clock.systemUTC()),
                new com.orgkeys.persistence.twofactor.AesGcmSecretCipher())).add(endpoint);

        var created = admin.post("/api/api-keys", body("name", "ci", "scopes", List.of("org:agents:read")));
        assertEquals(201, created.status(), created.toString());

        Received delivery = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(delivery, "no delivery within 20 s");
        new Webhook(endpoint.secret().value()).verify(delivery.body(), delivery.headers());
        JsonNode event = new ObjectMapper().readTree(delivery.body());
        assertEquals("apiKey.created", event.get("type").asText());
        assertEquals("event", event.get("object").asText());
        assertEquals(created.text("id"), event.get("data").get("id").asText());
        assertEquals("api_key", event.get("data").get("object").asText());
        assertEquals("ci", event.get("data").get("name").asText());
        assertEquals(organization.text("id"), event.get("data").get("subject").asText());
        assertFalse(delivery.body().contains(created.text("secret")), "never the key's secret");
        assertEquals(delivery.headers().get("webhook-id"), delivery.headers().get("svix-id"));
    }
}
