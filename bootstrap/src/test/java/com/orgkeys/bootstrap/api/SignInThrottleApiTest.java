package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.Test;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Own server: the per-address limit would otherwise be shared with other tests on 127.0.0.1. */
class SignInThrottleApiTest {
    @Test
    void repeated_failures_for_an_account_get_429_with_retry_after_even_with_the_right_password() {
        try (TestServer server = TestServer.start()) {
            String email = "target@example.com";
            server.signUp(email);
            for (int i = 0; i < 5; i++) {
                assertEquals(401, server.anonymous().post("/api/auth/sign-in", body("email", email, "password", "guess number " + i)).status());
            }
            var limited = server.anonymous().post("/api/auth/sign-in", body("email", email, "password", "correct horse battery " + email));
            assertEquals(429, limited.status());
            assertTrue(Integer.parseInt(limited.header("Retry-After")) > 0);
            assertEquals("application/problem+json", limited.header("Content-Type"));
        }
    }

    @Test
    void many_failures_from_one_address_across_accounts_get_429() {
        try (TestServer server = TestServer.start()) {
            int status = 0;
            for (int i = 0; i < 25 && status != 429; i++) {
                status = server.anonymous().post("/api/auth/sign-in", body("email", "nobody" + i + "@example.com", "password", "whatever password")).status();
            }
            assertEquals(429, status);
        }
    }
}
