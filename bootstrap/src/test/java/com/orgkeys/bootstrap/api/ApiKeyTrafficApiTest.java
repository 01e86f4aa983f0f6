package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-key IP allowlists and rate limits over HTTP (issue 25), on one node and on three sharing one PostgreSQL. */
class ApiKeyTrafficApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        aligned(server, untilTomorrow());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Just after the next midnight (UTC): a day-long window that does not end while the test runs. */
    static Duration untilTomorrow() {
        Instant now = Instant.now();
        return Duration.between(now, now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plusSeconds(60));
    }

    static void aligned(TestServer node, Duration ahead) {
        node.clock.advance(ahead);
    }

    static Api adminOfNewOrganization(TestServer node) {
        Api admin = node.signUp("t" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        assertEquals(201, admin.post("/api/organizations", body("name", "Traffic Inc")).status());
        return admin;
    }

    @Test
    void an_allowlisted_key_is_refused_from_other_addresses_as_the_trusted_proxy_reports_them() {
        Api admin = adminOfNewOrganization(server);
        var created = admin.post("/api/api-keys", body("name", "office", "scopes", List.of("org:agents:read")));
        String id = created.text("id");
        var set = admin.put("/api/api-keys/" + id + "/allowlist", body("allowlist", List.of("203.0.113.0/24", "2001:db8::/32")));
        assertEquals(200, set.status(), set.toString());
        assertEquals(List.of("203.0.113.0/24", "2001:db8::/32"), strings(set, "allowlist"));

        Api program = server.anonymous().withBearer(created.text("secret"));
        assertEquals(200, program.forwardedFor("203.0.113.77").get("/api/whoami").status());
        assertEquals(200, program.forwardedFor("2001:db8::7").get("/api/agents").status());
        var refused = program.forwardedFor("198.51.100.1").get("/api/whoami");
        assertEquals(403, refused.status(), refused.toString());
        assertTrue(refused.text("detail").contains("198.51.100.1"), refused.toString());
        assertEquals(403, program.forwardedFor("198.51.100.1").get("/v1/forward-auth").status());

        var bad = admin.put("/api/api-keys/" + id + "/allowlist", body("allowlist", List.of("10.0.0.1/8", "x")));
        assertEquals(422, bad.status(), bad.toString());
        assertEquals(List.of("203.0.113.0/24", "2001:db8::/32"), strings(admin.get("/api/api-keys/" + id), "allowlist"));
    }

    @Test
    void a_key_over_its_rate_limit_gets_429_with_the_ratelimit_fields_here_and_in_the_backend_api() {
        Api admin = adminOfNewOrganization(server);
        var created = admin.post("/api/api-keys", body("name", "batch", "scopes", List.of("org:agents:read")));
        var set = admin.put("/api/api-keys/" + created.text("id") + "/rate-limit", body("requests", 3, "windowSeconds", 86_400));
        assertEquals(200, set.status(), set.toString());
        assertEquals(3, set.body().get("rateLimit").get("requests").asInt());

        Api program = server.anonymous().withBearer(created.text("secret"));
        for (int i = 0; i < 3; i++) assertEquals(200, program.get("/api/whoami").status());
        var refused = program.get("/api/whoami");
        assertEquals(429, refused.status(), refused.toString());
        assertEquals("\"key\";q=3;w=86400", refused.header("RateLimit-Policy"));
        assertTrue(refused.header("RateLimit").startsWith("\"key\";r=0;t="), refused.header("RateLimit"));
        assertTrue(Long.parseLong(refused.header("Retry-After")) > 0);

        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "backend").secret());
        var verify = backend.post("/v1/api_keys/verify", body("secret", created.text("secret")));
        assertEquals(429, verify.status(), verify.toString());
        assertEquals("too_many_requests", verify.body().get("errors").get(0).get("code").asText());

        // the key's own limit removed, and no organization default: unlimited again
        assertEquals(200, admin.delete("/api/api-keys/" + created.text("id") + "/rate-limit").status());
        assertEquals(200, program.get("/api/whoami").status());
    }

    @Test
    void the_organization_default_applies_to_keys_without_their_own() {
        Api admin = adminOfNewOrganization(server);
        assertTrue(admin.get("/api/organization/api-key-defaults").body().get("rateLimit").isNull());
        var created = admin.post("/api/api-keys", body("name", "plain", "scopes", List.of("org:agents:read")));
        Api program = server.anonymous().withBearer(created.text("secret"));
        assertEquals(200, program.get("/api/whoami").status()); // remembered without a limit

        var set = admin.put("/api/organization/api-key-defaults",
                body("rateLimit", Map.of("requests", 2, "windowSeconds", 86_400)));
        assertEquals(200, set.status(), set.toString());

        assertEquals(200, program.get("/api/whoami").status());
        assertEquals(200, program.get("/api/whoami").status());
        assertEquals(429, program.get("/api/whoami").status());
        var bad = admin.put("/api/organization/api-key-defaults", body("rateLimit", Map.of("requests", 0)));
        assertEquals(422, bad.status(), bad.toString());
    }

    /**
     * The accuracy the documentation states: three nodes sharing only PostgreSQL, each with its own verification
     * cache and counts, admit a key's limit and at most 9 % more (≤ 10 %), whichever node each request reaches.
     */
    @Test
    void three_nodes_on_one_database_admit_the_limit_within_ten_percent() throws Exception {
        Duration ahead = untilTomorrow();
        try (TestServer a = TestServer.startOn(server.database, Map.of());
             TestServer b = TestServer.startOn(server.database, Map.of());
             TestServer c = TestServer.startOn(server.database, Map.of())) {
            List<TestServer> nodes = List.of(a, b, c);
            nodes.forEach(node -> aligned(node, ahead));
            Api admin = adminOfNewOrganization(a);
            var created = admin.post("/api/api-keys", body("name", "fleet", "scopes", List.of("org:agents:read")));
            int limit = 600;
            assertEquals(200, admin.put("/api/api-keys/" + created.text("id") + "/rate-limit",
                    body("requests", limit, "windowSeconds", 86_400)).status());

            int perNode = 400, clients = 6; // 1,200 requests for a limit of 600
            CountDownLatch go = new CountDownLatch(1);
            List<Future<int[]>> results = new ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(clients)) {
                for (int t = 0; t < clients; t++) {
                    Api program = nodes.get(t % 3).anonymous().withBearer(created.text("secret"));
                    results.add(pool.submit(() -> {
                        go.await();
                        int ok = 0, limited = 0;
                        for (int i = 0; i < perNode * 3 / clients; i++) {
                            int status = program.get("/api/whoami").status();
                            if (status == 200) ok++;
                            else if (status == 429) limited++;
                        }
                        return new int[]{ok, limited};
                    }));
                }
                go.countDown();
                int ok = 0, limited = 0;
                for (var result : results) {
                    int[] r = result.get(120, TimeUnit.SECONDS);
                    ok += r[0];
                    limited += r[1];
                }
                System.out.printf("three nodes, limit %d: %d admitted (%+.1f %%), %d refused%n", limit, ok,
                        100.0 * (ok - limit) / limit, limited);
                assertEquals(perNode * 3, ok + limited, "every request answered 200 or 429");
                assertTrue(ok >= limit && ok <= limit * 1.10, ok + " admitted for a limit of " + limit);
            }
        }
    }

    private static List<String> strings(Api.Response response, String field) {
        List<String> result = new ArrayList<>();
        response.body().get(field).forEach(n -> result.add(n.asText()));
        return result;
    }
}
