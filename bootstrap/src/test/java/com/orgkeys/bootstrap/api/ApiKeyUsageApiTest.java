package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/api-keys/{id}/usage after requests made with the key, once the servers flushed what they counted. */
class ApiKeyUsageApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void usage_counts_each_request_once_under_its_outcome_with_the_last_address() throws Exception {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        var key = ApiKeyFixture.key(admin, "reader", "org:agents:read");
        Api program = server.anonymous().withBearer(key.text("secret")).forwardedFor("203.0.113.7");
        for (int i = 0; i < 3; i++) assertEquals(200, program.get("/api/agents").status());
        assertEquals(403, program.post("/api/agents", body("name", "not allowed")).status(), "the key lacks manage");

        // the 403 is counted as the request completes, just after its answer is sent: flush until it is in
        Map<String, Long> expected = Map.of("success", 3L, "scopeRefused", 1L, "rateLimited", 0L, "ipRefused", 0L);
        JsonNode usage = flushedUntil(List.of(server), admin, key.text("id"), "?days=7", expected);
        LocalDate today = LocalDate.ofInstant(server.clock.instant(), ZoneOffset.UTC);
        assertEquals(today.toString(), usage.get("to").asText());
        assertEquals(today.minusDays(6).toString(), usage.get("from").asText());
        assertEquals(7, usage.get("days").size());
        JsonNode last = usage.get("days").get(6);
        assertEquals(today.toString(), last.get("date").asText());
        assertEquals(Map.of("success", 3L, "scopeRefused", 1L, "rateLimited", 0L, "ipRefused", 0L), counts(last));
        assertEquals(counts(last), counts(usage.get("totals")));
        assertEquals(0, usage.get("days").get(0).get("success").asLong(), "a day without requests is zeros");
        assertEquals("203.0.113.7", usage.get("lastUsedAddress").asText());
        assertTrue(usage.get("lastUsedAt").isTextual(), usage.toString());
    }

    @Test
    void days_default_to_30_and_must_be_1_to_90() {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        String id = ApiKeyFixture.key(admin, "k").text("id");
        assertEquals(30, usage(admin, id, "").get("days").size());
        assertEquals(90, usage(admin, id, "?days=90").get("days").size());
        assertEquals(1, usage(admin, id, "?days=1").get("days").size());
        for (String bad : List.of("0", "91", "-1", "abc", "99999999999", "1.5")) {
            var refused = admin.get("/api/api-keys/" + id + "/usage?days=" + bad);
            assertEquals(422, refused.status(), bad + ": " + refused);
            assertEquals("application/problem+json", refused.header("Content-Type"));
            assertEquals("days", refused.body().get("errors").get(0).get("field").asText(), refused.toString());
        }
    }

    @Test
    void another_organizations_key_is_not_found() {
        Api mallory = ApiKeyFixture.adminOfNewOrganization(server);
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        String id = ApiKeyFixture.key(admin, "k").text("id");
        assertEquals(404, mallory.get("/api/api-keys/" + id + "/usage").status());
        assertEquals(404, admin.get("/api/api-keys/" + UUID.randomUUID() + "/usage").status());
    }

    @Test
    void two_servers_on_one_database_add_up_exactly() throws Exception {
        try (TestServer second = TestServer.startOn(server.database, Map.of())) {
            Api admin = ApiKeyFixture.adminOfNewOrganization(server);
            var key = ApiKeyFixture.key(admin, "busy", "org:agents:read");
            Api onFirst = server.anonymous().withBearer(key.text("secret"));
            Api onSecond = second.anonymous().withBearer(key.text("secret"));
            for (int i = 0; i < 5; i++) assertEquals(200, onFirst.get("/api/agents").status());
            for (int i = 0; i < 7; i++) assertEquals(200, onSecond.get("/api/agents").status());
            assertEquals(403, onSecond.post("/api/agents", body("name", "x")).status());
            Map<String, Long> expected = Map.of("success", 12L, "scopeRefused", 1L, "rateLimited", 0L, "ipRefused", 0L);
            flushedUntil(List.of(server, second), admin, key.text("id"), "?days=1", expected);
            // more flushes on both add nothing
            server.app.flushApiKeyUsage();
            second.app.flushApiKeyUsage();
            assertEquals(expected, counts(usage(admin, key.text("id"), "?days=1").get("totals")));
        }
    }

    /** Flushes {@code servers} and reads the usage until its totals are {@code expected}, for 10 seconds at most. */
    private static JsonNode flushedUntil(List<TestServer> servers, Api admin, String id, String query,
                                         Map<String, Long> expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            servers.forEach(s -> s.app.flushApiKeyUsage());
            JsonNode usage = usage(admin, id, query);
            if (counts(usage.get("totals")).equals(expected) || System.nanoTime() > deadline) {
                assertEquals(expected, counts(usage.get("totals")));
                return usage;
            }
            Thread.sleep(20); // a poll interval; the loop has the deadline
        }
    }

    private static JsonNode usage(Api admin, String id, String query) {
        var response = admin.get("/api/api-keys/" + id + "/usage" + query);
        assertEquals(200, response.status(), response.toString());
        return response.body();
    }

    private static Map<String, Long> counts(JsonNode day) {
        return Map.of("success", day.get("success").asLong(), "scopeRefused", day.get("scopeRefused").asLong(),
                "rateLimited", day.get("rateLimited").asLong(), "ipRefused", day.get("ipRefused").asLong());
    }
}
