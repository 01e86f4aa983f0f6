package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks through the whole application (issue 24): a key created over the API reaches a receiver on this machine
 * (WEBHOOKS_ALLOW_PRIVATE=true, as a developer would run it), signed so that the standardwebhooks library verifies it.
 */
class WebhookApiTest {
    private record Received(Map<String, List<String>> headers, String body) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Received> receivedByInstance = new LinkedBlockingQueue<>();
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
        receiver.createContext("/instance", exchange -> {
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            receivedByInstance.add(new Received(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    private WebhookEndpoint endpoint(Optional<OrganizationId> organization, String path) {
        WebhookEndpoint endpoint = WebhookEndpoint.create(organization,
                WebhookUrl.parse("http://127.0.0.1:" + receiver.getAddress().getPort() + path), "local receiver",
                EventFilter.ALL, Instant.now());
        return StoredWebhookEndpoints.add(database.dataSource(), endpoint);
    }

    /** The verified events {@code from} received, until one of {@code type} about {@code id} (20 s at most). */
    private List<JsonNode> eventsUntil(BlockingQueue<Received> from, WebhookEndpoint endpoint, String type, String id,
                                       List<JsonNode> seen) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seen.stream().noneMatch(e -> e.get("type").asText().equals(type) && e.get("data").get("id").asText().equals(id))) {
            Received delivery = from.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull(delivery, "no " + type + " of " + id + " within 20 s; got " + seen);
            new Webhook(endpoint.secret().value()).verify(delivery.body(), delivery.headers());
            seen.add(new ObjectMapper().readTree(delivery.body()));
        }
        return seen;
    }

    private static JsonNode event(List<JsonNode> events, String type, String id) {
        return events.stream().filter(e -> e.get("type").asText().equals(type) && e.get("data").get("id").asText().equals(id))
                .findFirst().orElseThrow();
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
        StoredWebhookEndpoints.add(database.dataSource(), endpoint);

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

    @Test
    void users_and_sessions_reach_the_instance_s_endpoints_only_in_the_backend_api_s_shapes() throws Exception {
        Api admin = server.signUp("w" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        var organization = admin.post("/api/organizations", body("name", "Hooked Inc"));
        assertEquals(201, organization.status(), organization.toString());
        WebhookEndpoint organizations = endpoint(Optional.of(OrganizationId.parse(organization.text("id"))), "/hooks");
        WebhookEndpoint instance = endpoint(Optional.empty(), "/instance");
        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "hooks").secret());
        String email = "h" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

        var created = backend.post("/v1/users", Map.of("email_address", List.of(email), "password",
                "a long enough passphrase 42", "first_name", "Ada", "private_metadata", Map.of("stripe", "cus_1")));
        assertEquals(200, created.status(), created.toString());
        String userId = created.text("id");
        Api ada = server.anonymous();
        assertEquals(200, ada.post("/api/auth/sign-in", body("email", email, "password", "a long enough passphrase 42")).status());
        String cookie = ada.sessionCookie().orElseThrow();
        assertTrue(cookie.length() > 20, cookie);
        var sessions = backend.get("/v1/sessions?user_id=" + userId + "&paginated=true");
        assertEquals(200, sessions.status(), sessions.toString());
        String sessionId = sessions.body().get("data").get(0).get("id").asText();
        assertEquals(204, ada.post("/api/auth/sign-out", null).status());
        JsonNode endedSession = backend.get("/v1/sessions/" + sessionId).body();
        assertEquals(200, backend.delete("/v1/users/" + userId).status());

        List<JsonNode> events = eventsUntil(receivedByInstance, instance, "user.deleted", userId, new java.util.ArrayList<>());
        eventsUntil(receivedByInstance, instance, "session.ended", sessionId, events);
        // user.created carries the user as GET /v1/users/{id} showed it then (the create's answer)
        assertEquals(created.body(), event(events, "user.created", userId).get("data"));
        assertEquals(sessionId, event(events, "session.created", sessionId).get("data").get("id").asText());
        assertEquals("active", event(events, "session.created", sessionId).get("data").get("status").asText());
        assertEquals(endedSession, event(events, "session.ended", sessionId).get("data"));
        assertEquals(new ObjectMapper().readTree("{\"object\":\"user\",\"id\":\"" + userId + "\",\"deleted\":true}"),
                event(events, "user.deleted", userId).get("data"));
        for (JsonNode e : events) assertFalse(e.toString().contains(cookie), "never the cookie");

        // the organization's endpoint: its own events, none of an account's
        var key = admin.post("/api/api-keys", body("name", "mark", "scopes", List.of("org:agents:read")));
        assertEquals(201, key.status(), key.toString());
        List<JsonNode> toOrganization = eventsUntil(received, organizations, "apiKey.created", key.text("id"),
                new java.util.ArrayList<>());
        for (JsonNode e : toOrganization) {
            String type = e.get("type").asText();
            assertFalse(type.startsWith("user.") || type.startsWith("session."), e.toString());
        }
    }

    @Test
    void deleting_a_user_revokes_their_own_keys_with_an_event_for_each() throws Exception {
        String email = "w" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Api admin = server.signUp(email);
        var organization = admin.post("/api/organizations", body("name", "Owned Inc"));
        assertEquals(201, organization.status(), organization.toString());
        WebhookEndpoint organizations = endpoint(Optional.of(OrganizationId.parse(organization.text("id"))), "/hooks");
        var own = admin.post("/api/api-keys", body("name", "mine", "subject", "user"));
        assertEquals(201, own.status(), own.toString());
        String userId = admin.get("/api/whoami").text("userId");
        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "deleting").secret());

        assertEquals(200, backend.delete("/v1/users/" + userId).status());

        List<JsonNode> events = eventsUntil(received, organizations, "apiKey.revoked", own.text("id"), new java.util.ArrayList<>());
        JsonNode revoked = event(events, "apiKey.revoked", own.text("id")).get("data");
        assertEquals("owner_deleted", revoked.get("revocation_reason").asText());
        assertTrue(revoked.get("revoked").asBoolean());
        assertFalse(events.toString().contains(own.text("secret")));
    }
}
