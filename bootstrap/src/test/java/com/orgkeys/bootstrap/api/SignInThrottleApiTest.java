package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.orgkeys.application.account.service.SharedAccountThrottle.ATTEMPTS_PER_ACCOUNT_AND_ADDRESS;
import static com.orgkeys.application.account.service.SharedAccountThrottle.FAILURES_PER_ADDRESS;
import static com.orgkeys.application.account.service.SharedAccountThrottle.SIGN_UPS_PER_ADDRESS;
import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Own servers: the limits per address would otherwise be shared with other tests on 127.0.0.1. */
class SignInThrottleApiTest {
    static String password(String email) {
        return "correct horse battery " + email;
    }

    @Test
    void repeated_failures_for_an_account_get_429_with_retry_after_even_with_the_right_password() {
        try (TestServer server = TestServer.start()) {
            String email = "target@example.com";
            server.signUp(email);
            for (int i = 0; i < ATTEMPTS_PER_ACCOUNT_AND_ADDRESS; i++) {
                assertEquals(401, server.anonymous().post("/api/auth/sign-in", body("email", email, "password", "guess number " + i)).status());
            }
            var limited = server.anonymous().post("/api/auth/sign-in", body("email", email, "password", password(email)));
            assertEquals(429, limited.status());
            assertTrue(Integer.parseInt(limited.header("Retry-After")) > 0);
            assertEquals("application/problem+json", limited.header("Content-Type"));
        }
    }

    @Test
    void two_servers_on_one_database_allow_together_the_attempts_of_one() {
        try (TestServer a = TestServer.start(); TestServer b = TestServer.startOn(a.database, Map.of())) {
            String email = "balanced@example.com";
            a.signUp(email);
            for (int i = 0; i < ATTEMPTS_PER_ACCOUNT_AND_ADDRESS; i++) {
                TestServer next = i % 2 == 0 ? a : b; // round-robin, as a balancer would
                assertEquals(401, next.anonymous().post("/api/auth/sign-in", body("email", email, "password", "guess number " + i)).status());
            }
            for (TestServer server : List.of(a, b)) {
                var limited = server.anonymous().post("/api/auth/sign-in", body("email", email, "password", password(email)));
                assertEquals(429, limited.status());
                assertTrue(Integer.parseInt(limited.header("Retry-After")) > 0);
            }
        }
    }

    @Test
    void many_failures_from_one_address_across_accounts_get_429() {
        try (TestServer server = TestServer.start()) {
            int status = 0;
            for (int i = 0; i < FAILURES_PER_ADDRESS + 5 && status != 429; i++) {
                status = server.anonymous().post("/api/auth/sign-in", body("email", "nobody" + i + "@example.com", "password", "whatever password")).status();
            }
            assertEquals(429, status);
        }
    }

    @Test
    void forty_parallel_wrong_guesses_let_at_most_the_limit_through_then_the_right_password_is_refused() throws Exception {
        try (TestServer server = TestServer.start()) {
            String email = "raced@example.com";
            server.signUp(email);
            ExecutorService pool = Executors.newFixedThreadPool(40);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> guesses = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    int guess = i;
                    guesses.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return server.anonymous().post("/api/auth/sign-in", body("email", email, "password", "parallel guess " + guess)).status();
                    }));
                }
                start.countDown();
                int wrong = 0;
                int limited = 0;
                for (Future<Integer> guess : guesses) {
                    int status = guess.get(60, TimeUnit.SECONDS);
                    if (status == 401) wrong++;
                    else if (status == 429) limited++;
                    else throw new AssertionError("unexpected status " + status);
                }
                assertTrue(wrong <= ATTEMPTS_PER_ACCOUNT_AND_ADDRESS, wrong + " guesses were checked");
                assertEquals(40, wrong + limited);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(429, server.anonymous().post("/api/auth/sign-in", body("email", email, "password", password(email))).status());
        }
    }

    @Test
    void forwarding_headers_from_an_untrusted_peer_are_ignored_by_throttles_audit_and_sessions() {
        try (TestServer server = TestServer.start(Map.of("TRUSTED_PROXIES", ""))) {
            String email = "spoofed@example.com";
            Api owner = server.signUp(email);
            for (int i = 0; i < ATTEMPTS_PER_ACCOUNT_AND_ADDRESS; i++) {
                // each guess claims to come from another client
                Api guesser = server.anonymous().forwardedFor("203.0.113." + (i + 1));
                assertEquals(401, guesser.post("/api/auth/sign-in", body("email", email, "password", "guess " + i)).status());
            }
            Api claimsToBeElsewhere = server.anonymous().forwardedFor("198.51.100.99");
            assertEquals(429, claimsToBeElsewhere.post("/api/auth/sign-in", body("email", email, "password", password(email))).status());

            assertEquals(201, owner.forwardedFor("192.0.2.1").post("/api/organizations", body("name", "Spoofed")).status());
            var events = owner.get("/api/audit-events");
            assertEquals("127.0.0.1", events.body().get("data").get(0).get("clientAddress").asText(), events.raw());
            var sessions = owner.get("/api/sessions");
            assertEquals("127.0.0.1", sessions.body().get("data").get(0).get("clientAddress").asText(), sessions.raw());
        }
    }

    @Test
    void behind_a_trusted_proxy_each_client_has_its_own_limits_audit_and_session_address() {
        try (TestServer server = TestServer.start(Map.of("TRUSTED_PROXIES", "127.0.0.1/32"))) {
            String email = "proxied@example.com";
            server.signUp(email);
            Api attacker = server.anonymous().forwardedFor("203.0.113.66");
            for (int i = 0; i < ATTEMPTS_PER_ACCOUNT_AND_ADDRESS; i++) {
                assertEquals(401, attacker.post("/api/auth/sign-in", body("email", email, "password", "guess " + i)).status());
            }
            assertEquals(429, attacker.post("/api/auth/sign-in", body("email", email, "password", password(email))).status());

            // the owner, elsewhere; what their client wrote left of the proxy's entry is not believed
            Api owner = server.anonymous().forwardedFor("203.0.113.66, 198.51.100.7");
            assertEquals(200, owner.post("/api/auth/sign-in", body("email", email, "password", password(email))).status());
            assertEquals(201, owner.post("/api/organizations", body("name", "Proxied")).status());
            var events = owner.get("/api/audit-events");
            assertEquals("198.51.100.7", events.body().get("data").get(0).get("clientAddress").asText(), events.raw());
            var sessions = owner.get("/api/sessions");
            assertEquals("198.51.100.7", sessions.body().get("data").get(0).get("clientAddress").asText(), sessions.raw());
        }
    }

    @Test
    void oversized_sign_in_fields_are_a_422_naming_them() {
        try (TestServer server = TestServer.start()) {
            String huge = "x".repeat(1_000_000);
            var email = server.anonymous().post("/api/auth/sign-in", body("email", huge + "@example.com", "password", "whatever password"));
            assertEquals(422, email.status(), email.raw());
            assertEquals("email", email.body().get("errors").get(0).get("field").asText());
            var password = server.anonymous().post("/api/auth/sign-in", body("email", "a@example.com", "password", huge));
            assertEquals(422, password.status());
            assertEquals("password", password.body().get("errors").get(0).get("field").asText());
        }
    }

    @Test
    void sign_ups_from_one_address_are_limited_with_retry_after_whatever_their_outcome() {
        try (TestServer server = TestServer.start()) {
            Api one = server.anonymous().forwardedFor("203.0.113.5");
            String email = "taken@example.com";
            Map<String, Object> signUp = body("email", email, "password", password(email), "name", "N");
            assertEquals(201, one.post("/api/auth/sign-up", signUp).status());
            // probing for registered emails counts too (and costs no password hash, so the test stays quick)
            for (int i = 1; i < SIGN_UPS_PER_ADDRESS; i++) assertEquals(409, one.post("/api/auth/sign-up", signUp).status());
            var limited = one.post("/api/auth/sign-up", signUp);
            assertEquals(429, limited.status());
            assertTrue(Integer.parseInt(limited.header("Retry-After")) > 0);
            assertEquals(409, server.anonymous().forwardedFor("203.0.113.6").post("/api/auth/sign-up", signUp).status());
        }
    }
}
