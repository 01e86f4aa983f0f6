package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test events and replays are limited per endpoint, counted in PostgreSQL: past the budget the answer is a 429
 * problem (Clerk's error shape over /v1) with Retry-After, and nothing is queued. (Responses are checked against the
 * OpenAPI document by {@link Api}.)
 */
class WebhookSendLimitApiTest {
    /** SharedAccountThrottle.WEBHOOK_SENDS_PER_ENDPOINT */
    private static final int BUDGET = 20;
    private static TestServer server;

    @BeforeAll
    static void start() {
        // a receiver that is never there: deliveries fail, which is beside the point here
        server = TestServer.start(Map.of("WEBHOOKS_ALLOW_PRIVATE", "true"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertLimited(Api.Response response) {
        assertEquals(429, response.status(), response.toString());
        long retryAfter = Long.parseLong(response.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After " + retryAfter);
    }

    /**
     * Sends until refused (bounded): the server's clock is real, and the budget refills one every 3 s, so on a slow
     * machine a few more than the budget may pass, never fewer. The refusal is returned.
     */
    private static Api.Response sendUntilLimited(int alreadySent, Supplier<Api.Response> send) {
        for (int accepted = alreadySent; accepted < 200; accepted++) {
            Api.Response response = send.get();
            if (response.status() != 202) {
                assertTrue(accepted >= BUDGET, accepted + " accepted before " + response);
                assertLimited(response);
                return response;
            }
        }
        throw new AssertionError("200 sends, none refused");
    }

    @Test
    void an_organization_s_endpoint_takes_at_least_twenty_test_events_and_replays_then_429_with_retry_after() {
        Api admin = server.signUp("limit-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        assertEquals(201, admin.post("/api/organizations", body("name", "Limited")).status());
        String id = admin.post("/api/webhooks/endpoints", body("url", "http://127.0.0.1:9/in")).text("id");
        String base = "/api/webhooks/endpoints/" + id;
        String message = admin.post(base + "/test", null).text("messageId");

        int[] sent = {0};
        // test events and replays alike (that they share one budget: WebhookSendLimitsTest, on a clock it controls)
        Api.Response refused = sendUntilLimited(1, () -> sent[0]++ % 2 == 0
                ? admin.post(base + "/messages/" + message + "/replay", null) : admin.post(base + "/test", null));
        assertTrue(refused.header("Content-Type").startsWith("application/problem+json"), refused.toString());
        String other = admin.post("/api/webhooks/endpoints", body("url", "http://127.0.0.1:9/other")).text("id");
        assertEquals(202, admin.post("/api/webhooks/endpoints/" + other + "/test", null).status(), "its own budget");
    }

    @Test
    void an_instance_endpoint_is_limited_too_over_the_backend_api() {
        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "limits").secret());
        String id = backend.post("/v1/webhooks/endpoints", body("url", "http://127.0.0.1:9/instance")).text("id");
        sendUntilLimited(0, () -> backend.post("/v1/webhooks/endpoints/" + id + "/test", null));
    }
}
