package com.orgkeys.bootstrap.api;

import com.orgkeys.application.account.service.SharedAccountThrottle;
import com.orgkeys.application.mail.port.out.ApiKeyLeakedMail;
import com.orgkeys.http.apikey.LeakReportRoutes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leak reports over HTTP, on two servers sharing one database as two nodes of a deployment: the revocation reaches
 * the other node's cache at once, the throttle is shared, the admins' mail arrives, and every secret gets the same
 * answer. Each test reports from addresses of its own (the tests are a trusted proxy), so their limits do not mix.
 */
class LeakReportApiTest {
    static final String PATH = LeakReportRoutes.PATH;
    static final String URL = "https://github.com/acme/app/blob/main/.env";
    static TestServer a;
    static TestServer b;
    static Api admin;

    @BeforeAll
    static void twoNodes() {
        a = TestServer.start();
        b = TestServer.startOn(a.database, Map.of());
        admin = a.signUp("leak-admin@example.com");
        admin.post("/api/organizations", body("name", "Leaky"));
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    static Api.Response key(String name) {
        Api.Response created = admin.post("/api/api-keys", body("name", name));
        assertEquals(201, created.status(), created.raw());
        return created;
    }

    @Test
    void a_reported_key_is_refused_at_once_on_both_nodes_audited_and_its_admins_are_mailed() throws Exception {
        Api.Response created = key("deploy");
        String secret = created.text("secret");
        Api onA = a.anonymous().withBearer(secret);
        Api onB = b.anonymous().withBearer(secret);
        for (int i = 0; i < 5; i++) assertEquals(200, onB.get("/api/whoami").status()); // cached on B now

        long reportedAt = System.nanoTime();
        Api.Response answer = a.anonymous().forwardedFor("192.0.2.10").post(PATH, body("secret", secret, "url", URL));
        assertEquals(202, answer.status(), answer.raw());
        assertEquals(401, onA.get("/api/whoami").status(), "refused on the node that took the report, at once");
        while (onB.get("/api/whoami").status() != 401) {
            assertTrue(System.nanoTime() - reportedAt < 5_000_000_000L, "still accepted on B after 5 s");
            Thread.sleep(5); // a poll interval, not the wait itself
        }
        assertTrue((System.nanoTime() - reportedAt) / 1_000_000 < 500, "B refused it within half a second");

        var key = admin.get("/api/api-keys/" + created.text("id")).body();
        assertEquals("revoked", key.get("status").asText());
        assertEquals("leaked", key.get("revocationReason").asText());
        var event = admin.get("/api/audit-events").body().get("data").get(0);
        assertEquals("api_key.revoked", event.get("action").asText());
        assertEquals("leak_report", event.get("actor").asText());
        assertEquals("192.0.2.10", event.get("clientAddress").asText());
        assertEquals("name=deploy reason=leaked url=" + URL, event.get("details").asText());

        ApiKeyLeakedMail mail = a.mailer.await(ApiKeyLeakedMail.class,
                m -> m.keyId().equals(created.text("id")), Duration.ofSeconds(20));
        assertEquals("leak-admin@example.com", mail.to().value());
        assertEquals("Leaky", mail.organizationName());
        assertEquals(URL, mail.foundAt());
        assertEquals(created.text("hint"), mail.keyHint());
    }

    /** The answer without what differs between any two requests (the request id, the date). */
    static String comparable(Api.Response response) {
        Map<String, List<String>> headers = new TreeMap<>(response.headers());
        headers.keySet().removeIf(h -> h == null || h.equalsIgnoreCase("x-request-id") || h.equalsIgnoreCase("date"));
        return response.status() + " " + headers + " " + response.raw();
    }

    @Test
    void working_revoked_unknown_garbage_and_bad_checksum_secrets_get_byte_identical_answers() {
        String secret = key("twice").text("secret");
        String badChecksum = secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A");
        Api reporter = b.anonymous().forwardedFor("192.0.2.20");
        List<String> answers = new ArrayList<>();
        for (String reported : List.of(secret, secret /* revoked by now */, "ok_" + "0".repeat(49), badChecksum,
                "ok_short", "garbage ' OR 1=1 --", "sk_orgkeys_whatever")) {
            answers.add(comparable(reporter.post(PATH, body("secret", reported))));
        }
        assertTrue(answers.getFirst().startsWith("202 "), answers.getFirst());
        assertTrue(answers.getFirst().contains(LeakReportRoutes.RECEIVED), answers.getFirst());
        for (String answer : answers) assertEquals(answers.getFirst(), answer);
    }

    @Test
    void a_session_cookie_from_any_origin_or_none_changes_nothing() {
        String first = key("cookie-1").text("secret");
        String second = key("cookie-2").text("secret");
        Api crossSite = admin.fromOrigin("https://evil.example").forwardedFor("192.0.2.30");
        Api noOrigin = admin.fromOrigin(null).forwardedFor("192.0.2.30");
        Api none = a.anonymous().forwardedFor("192.0.2.30");
        Api.Response withCookie = crossSite.post(PATH, body("secret", first));
        Api.Response withoutOrigin = noOrigin.post(PATH, body("secret", second));
        Api.Response anonymous = none.post(PATH, body("secret", "ok_" + "1".repeat(49)));
        assertEquals(comparable(anonymous), comparable(withCookie));
        assertEquals(comparable(anonymous), comparable(withoutOrigin));
        for (String secret : List.of(first, second)) {
            assertEquals(401, a.anonymous().withBearer(secret).get("/api/whoami").status());
        }
    }

    @Test
    void the_throttle_per_address_is_shared_by_both_nodes_and_answers_429_with_retry_after() {
        Api onA = a.anonymous().forwardedFor("192.0.2.40");
        Api onB = b.anonymous().forwardedFor("192.0.2.40");
        // the budget refills one report per interval while the test runs (slowly, on a loaded machine): count them
        long started = System.nanoTime();
        int[] admitted = {0};
        List<Api> roundRobin = List.of(onA, onB); // as a balancer would
        Api.Response limited = untilRefused(roundRobin, admitted);
        Api refusedBy = roundRobin.get(admitted[0] % 2); // the i-th report went to node i % 2
        Api.Response alsoLimited = untilRefused(List.of(refusedBy == onA ? onB : onA), admitted); // the other node
        for (Api.Response refused : List.of(limited, alsoLimited)) {
            assertTrue(Integer.parseInt(refused.header("Retry-After")) > 0);
            assertEquals("application/problem+json", refused.header("Content-Type"));
        }
        long refills = Duration.ofNanos(System.nanoTime() - started)
                .dividedBy(SharedAccountThrottle.LEAK_REPORT_INTERVAL) + 1;
        int limit = SharedAccountThrottle.LEAK_REPORTS_PER_ADDRESS;
        assertTrue(admitted[0] >= limit && admitted[0] <= limit + refills,
                admitted[0] + " admitted, with " + refills + " refills: one budget for both nodes, not one each");
        assertEquals(202, a.anonymous().forwardedFor("192.0.2.41").post(PATH, body("secret", "ok_x")).status(),
                "another address has limits of its own");
    }

    /** Reports through {@code nodes} in turn until one answers 429 (bounded), counting the 202s in {@code admitted}. */
    private static Api.Response untilRefused(List<Api> nodes, int[] admitted) {
        for (int i = 0; i < 3 * SharedAccountThrottle.LEAK_REPORTS_PER_ADDRESS; i++) {
            Api.Response answer = nodes.get(i % nodes.size()).post(PATH, body("secret", "ok_nothing_" + admitted[0]));
            if (answer.status() == 429) return answer;
            assertEquals(202, answer.status(), answer.raw());
            admitted[0]++;
        }
        throw new AssertionError("never refused");
    }

    @Test
    void bad_input_is_a_422_problem_before_anything_is_counted() {
        Api reporter = a.anonymous().forwardedFor("192.0.2.50");
        for (Map<String, Object> bad : List.of(body("url", URL), body("secret", "x".repeat(201)),
                body("secret", "ok_\u0000"), body("secret", "ok_x", "url", "javascript:alert(1)"),
                body("secret", "ok_x", "url", "https://example.com/" + "x".repeat(2000)))) {
            Api.Response refused = reporter.post(PATH, bad);
            assertEquals(422, refused.status(), refused.raw());
            assertEquals("application/problem+json", refused.header("Content-Type"));
        }
        for (int i = 0; i < SharedAccountThrottle.LEAK_REPORTS_PER_ADDRESS; i++) {
            assertEquals(202, reporter.post(PATH, body("secret", "ok_" + i)).status(), "none of the refused counted");
        }
    }
}
