package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhook endpoints managed over the API (issue 24), as a developer tries them: an endpoint at a receiver on this
 * machine (WEBHOOKS_ALLOW_PRIVATE=true), its secret revealed, a test event verified with the standardwebhooks
 * library, the attempt listed, the message replayed, the secret rotated; the instance's endpoints over /v1; and, on
 * a server with the default settings, every URL into the server's own network refused when set.
 */
class WebhookManagementApiTest {
    private record Received(String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.get(name).getFirst();
        }
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private HttpServer receiver;
    private TestServer server;

    private void startReceiverAndServer(Map<String, String> env) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            received.add(new Received(exchange.getRequestURI().getPath(), headers,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] answer = "thanks".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        server = TestServer.start(env);
    }

    @AfterEach
    void stop() {
        if (receiver != null) receiver.stop(0);
        if (server != null) server.close();
    }

    private String receiverUrl(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private Received next() throws InterruptedException {
        Received delivery = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(delivery, "no delivery within 20 s");
        return delivery;
    }

    private static Api.Response ok(int status, Api.Response response) {
        assertEquals(status, response.status(), response.toString());
        return response;
    }

    @Test
    void an_endpoint_added_over_the_api_gets_a_verifiable_test_event_its_attempt_a_replay_and_a_rotation()
            throws Exception {
        startReceiverAndServer(Map.of("WEBHOOKS_ALLOW_PRIVATE", "true"));
        Api admin = server.signUp("w" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        ok(201, admin.post("/api/organizations", body("name", "Hooked Inc")));

        var created = ok(201, admin.post("/api/webhooks/endpoints", body("url", receiverUrl("/org"),
                "description", "local receiver", "eventTypes", List.of("apiKey.created"))));
        String id = created.text("id");
        assertEquals("/api/webhooks/endpoints/" + id, created.header("Location"));
        assertEquals(List.of("apiKey.created"), List.of(created.body().get("eventTypes").get(0).asText()));
        String secret = ok(200, admin.get("/api/webhooks/endpoints/" + id + "/secret")).text("secret");
        assertTrue(secret.startsWith("whsec_"));

        String message = ok(202, admin.post("/api/webhooks/endpoints/" + id + "/test", null)).text("messageId");
        Received test = next();
        new Webhook(secret).verify(test.body(), test.headers());
        assertEquals(message, test.header("webhook-id"));
        assertEquals(test.header("webhook-signature"), test.header("svix-signature"));
        JsonNode event = new ObjectMapper().readTree(test.body());
        assertEquals("webhook.test", event.get("type").asText());

        // the attempt is recorded as the receiver's answer is read: wait for it with a deadline, not a sleep
        JsonNode attempt = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (attempt == null && System.nanoTime() < deadline) {
            JsonNode data = ok(200, admin.get("/api/webhooks/endpoints/" + id + "/attempts")).body().get("data");
            if (!data.isEmpty()) attempt = data.get(0);
            else Thread.onSpinWait();
        }
        assertNotNull(attempt, "no attempt recorded");
        assertEquals(message, attempt.get("messageId").asText());
        assertEquals(200, attempt.get("responseStatus").asInt());
        assertEquals("thanks", attempt.get("responseBody").asText());
        assertTrue(attempt.get("succeeded").asBoolean());

        ok(202, admin.post("/api/webhooks/endpoints/" + id + "/messages/" + message + "/replay", null));
        Received replay = next();
        assertEquals(message, replay.header("webhook-id"), "a replay is the same message");
        assertEquals(test.body(), replay.body());

        var rotated = ok(200, admin.post("/api/webhooks/endpoints/" + id + "/rotate-secret", null));
        assertEquals(secret, rotated.text("previousSecret"));
        String newSecret = rotated.text("secret");
        ok(202, admin.post("/api/webhooks/endpoints/" + id + "/test", null));
        Received afterRotation = next();
        new Webhook(newSecret).verify(afterRotation.body(), afterRotation.headers());
        new Webhook(secret).verify(afterRotation.body(), afterRotation.headers()); // both sign for 24 h
        assertEquals(2, afterRotation.header("webhook-signature").split(" ").length);

        // the filter: an agent changes nothing here, a key is sent; disabled, nothing is
        ok(201, admin.post("/api/agents", body("name", "a", "model", "m")));
        ok(201, admin.post("/api/api-keys", body("name", "ci", "scopes", List.of("org:agents:read"))));
        assertEquals("apiKey.created", new ObjectMapper().readTree(next().body()).get("type").asText());
        ok(200, admin.patch("/api/webhooks/endpoints/" + id, body("enabled", false)));
        assertEquals(409, admin.post("/api/webhooks/endpoints/" + id + "/test", null).status());
        ok(204, admin.delete("/api/webhooks/endpoints/" + id));
        assertEquals(404, admin.get("/api/webhooks/endpoints/" + id).status());
    }

    @Test
    void instance_level_endpoints_get_every_organization_s_events_and_an_organization_s_only_its_own() throws Exception {
        startReceiverAndServer(Map.of("WEBHOOKS_ALLOW_PRIVATE", "true"));
        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "webhooks").secret());
        String instance = ok(201, backend.post("/v1/webhooks/endpoints", body("url", receiverUrl("/instance"),
                "eventTypes", List.of("apiKey.created")))).text("id");
        assertNull(backend.get("/v1/webhooks/endpoints/" + instance).body().get("organizationId").textValue());
        String instanceSecret = ok(200, backend.get("/v1/webhooks/endpoints/" + instance + "/secret")).text("secret");

        Api acme = server.signUp("acme-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        ok(201, acme.post("/api/organizations", body("name", "Acme")));
        Api globex = server.signUp("globex-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        ok(201, globex.post("/api/organizations", body("name", "Globex")));
        String acmeEndpoint = ok(201, acme.post("/api/webhooks/endpoints", body("url", receiverUrl("/acme"),
                "eventTypes", List.of("apiKey.created")))).text("id");
        String acmeSecret = ok(200, acme.get("/api/webhooks/endpoints/" + acmeEndpoint + "/secret")).text("secret");
        // neither sees the other's, nor the instance's
        assertEquals(404, globex.get("/api/webhooks/endpoints/" + acmeEndpoint).status());
        assertEquals(404, acme.get("/api/webhooks/endpoints/" + instance).status());
        assertEquals(404, backend.get("/v1/webhooks/endpoints/" + acmeEndpoint).status());
        assertEquals(0, globex.get("/api/webhooks/endpoints").body().get("data").size());

        String acmeKey = ok(201, acme.post("/api/api-keys", body("name", "acme key", "scopes", List.of("org:agents:read")))).text("id");
        String globexKey = ok(201, globex.post("/api/api-keys", body("name", "globex key", "scopes", List.of("org:agents:read")))).text("id");

        List<Received> deliveries = new ArrayList<>(List.of(next(), next(), next()));
        assertNull(received.poll(2, TimeUnit.SECONDS), "three deliveries: Acme's key twice, Globex's once");
        Map<String, List<String>> keysByPath = new HashMap<>();
        for (Received delivery : deliveries) {
            new Webhook(delivery.path().equals("/acme") ? acmeSecret : instanceSecret).verify(delivery.body(), delivery.headers());
            keysByPath.computeIfAbsent(delivery.path(), p -> new ArrayList<>())
                    .add(new ObjectMapper().readTree(delivery.body()).get("data").get("id").asText());
        }
        assertEquals(List.of(acmeKey), keysByPath.get("/acme"));
        assertEquals(java.util.Set.of(acmeKey, globexKey), java.util.Set.copyOf(keysByPath.get("/instance")));
    }

    @Test
    void an_organization_s_endpoint_is_refused_the_account_events_only_instance_level_endpoints_are_sent() throws Exception {
        startReceiverAndServer(Map.of("WEBHOOKS_ALLOW_PRIVATE", "true"));
        Api admin = server.signUp("i" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        ok(201, admin.post("/api/organizations", body("name", "Accounts")));
        String id = ok(201, admin.post("/api/webhooks/endpoints", body("url", receiverUrl("/org"),
                "eventTypes", List.of("apiKey.created")))).text("id");
        for (String type : List.of("user.created", "session.revoked", "organization.deleted")) {
            var created = admin.post("/api/webhooks/endpoints", body("url", receiverUrl("/org"),
                    "eventTypes", List.of("apiKey.created", type)));
            assertEquals(422, created.status(), created.toString());
            assertTrue(created.toString().contains(type + " is sent to instance-level endpoints only"), created.toString());
            assertEquals(422, admin.patch("/api/webhooks/endpoints/" + id, body("eventTypes", List.of(type))).status());
        }
        assertEquals("[\"apiKey.created\"]", ok(200, admin.get("/api/webhooks/endpoints/" + id)).body()
                .get("eventTypes").toString());
        assertEquals(1, admin.get("/api/webhooks/endpoints").body().get("data").size());
        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "accounts").secret());
        ok(201, backend.post("/v1/webhooks/endpoints", body("url", receiverUrl("/instance"),
                "eventTypes", List.of("user.created", "session.revoked", "organization.deleted"))));
    }

    @Test
    void urls_into_the_server_s_own_network_are_refused_when_set_and_change_nothing() throws Exception {
        startReceiverAndServer(Map.of());
        Api admin = server.signUp("s" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        ok(201, admin.post("/api/organizations", body("name", "Guarded")));
        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "ssrf").secret());
        String id = ok(201, admin.post("/api/webhooks/endpoints", body("url", "https://93.184.215.14/hooks",
                "eventTypes", List.of("apiKey.expiring")))).text("id");
        var before = admin.get("/api/webhooks/endpoints/" + id).body();
        List<String> corpus = List.of(receiverUrl("/org"), "http://127.0.0.1/", "http://[::1]/", "http://169.254.169.254/",
                "https://127.0.0.1/", "https://127.1.2.3:8443/x", "https://[::1]/", "https://169.254.169.254/latest/meta-data/",
                "https://localhost/hooks", "https://[::ffff:127.0.0.1]/", "https://[::ffff:a9fe:a9fe]/", "https://10.0.0.1/",
                "https://172.16.0.1/", "https://192.168.1.1/", "https://100.64.0.1/", "https://0.0.0.0/", "https://[fd00::1]/",
                "https://[fe80::1]/", "https://224.0.0.1/", "https://[64:ff9b::7f00:1]/", "https://2130706433/",
                "https://0x7f000001/", "file:///etc/passwd", "gopher://127.0.0.1/", "https://user:pw@93.184.215.14/");
        List<String> failures = new ArrayList<>();
        for (String url : corpus) {
            for (var response : List.of(admin.post("/api/webhooks/endpoints", body("url", url)),
                    admin.patch("/api/webhooks/endpoints/" + id, body("url", url)),
                    backend.post("/v1/webhooks/endpoints", body("url", url)))) {
                if (response.status() != 422 || !response.toString().contains("url")) failures.add(url + ": " + response);
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(before, admin.get("/api/webhooks/endpoints/" + id).body());
        assertEquals(1, admin.get("/api/webhooks/endpoints").body().get("data").size());
        assertEquals(0, backend.get("/v1/webhooks/endpoints").body().get("data").size());
    }

    @Test
    void organization_events_carry_the_backend_api_s_shapes_without_the_private_metadata() throws Exception {
        startReceiverAndServer(Map.of("WEBHOOKS_ALLOW_PRIVATE", "true"));
        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "shapes").secret());
        ok(201, backend.post("/v1/webhooks/endpoints", body("url", receiverUrl("/instance"),
                "eventTypes", List.of("organization.updated", "organizationMembership.created"))));
        String creator = server.signUp("c" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                .get("/api/me").body().get("user").get("id").asText();
        String organization = ok(200, backend.post("/v1/organizations", body("name", "Shaped", "created_by", creator)))
                .text("id");
        Received created = next();
        JsonNode membership = new ObjectMapper().readTree(created.body()).get("data");
        assertEquals("organizationMembership.created", new ObjectMapper().readTree(created.body()).get("type").asText());
        JsonNode listed = ok(200, backend.get("/v1/organizations/" + organization + "/memberships")).body()
                .get("data").get(0);
        for (String field : List.of("object", "id", "role", "permissions", "created_at", "public_user_data")) {
            assertEquals(listed.get(field), membership.get(field), field);
        }

        ok(200, backend.patch("/v1/organizations/" + organization + "/metadata", body(
                "public_metadata", Map.of("tier", "gold"), "private_metadata", Map.of("plan", "secret-plan"))));
        Received updated = next();
        JsonNode data = new ObjectMapper().readTree(updated.body()).get("data");
        JsonNode got = ok(200, backend.get("/v1/organizations/" + organization)).body();
        for (String field : List.of("object", "id", "name", "slug", "public_metadata", "created_at")) {
            assertEquals(got.get(field), data.get(field), field);
        }
        assertEquals(0, data.get("private_metadata").size(), "never the private metadata");
        assertTrue(!updated.body().contains("secret-plan"));
    }
}
