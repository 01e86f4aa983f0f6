package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String email() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void sign_up_answers_201_with_the_user_and_a_safe_session_cookie() {
        Api api = server.anonymous();
        String email = email();
        var response = api.post("/api/auth/sign-up", body("email", email.toUpperCase(), "password", "a long enough passphrase", "name", "Ada"));
        assertEquals(201, response.status(), response.toString());
        assertEquals(email, response.body().get("user").get("email").asText());
        assertEquals("Ada", response.body().get("user").get("name").asText());
        String cookie = response.header("Set-Cookie");
        assertTrue(cookie.startsWith("orgkeys_session="), cookie);
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), cookie);
        assertFalse(cookie.contains("Secure"), "http origin: no Secure flag");
        assertTrue(api.sessionCookie().orElseThrow().length() >= 43, "at least 256 bits of token");

        var me = api.get("/api/me");
        assertEquals(200, me.status());
        assertEquals(email, me.body().get("user").get("email").asText());
        assertTrue(me.body().get("activeOrganizationId").isNull());
        assertEquals(0, me.body().get("organizations").size());
    }

    @Test
    void invalid_sign_up_names_every_bad_field_and_creates_nothing() {
        Api api = server.anonymous();
        var response = api.post("/api/auth/sign-up", body("email", "not-an-email", "password", "short", "name", ""));
        assertEquals(422, response.status());
        assertEquals("application/problem+json", response.header("Content-Type"));
        var fields = new java.util.HashSet<String>();
        response.body().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(java.util.Set.of("email", "password", "name"), fields);
        assertTrue(api.sessionCookie().isEmpty());
    }

    @Test
    void common_password_is_refused_naming_the_password_field() {
        var response = server.anonymous().post("/api/auth/sign-up", body("email", email(), "password", "qwertyuiopasdfgh", "name", "x"));
        assertEquals(422, response.status(), response.toString());
        assertEquals("password", response.body().get("errors").get(0).get("field").asText());
        assertTrue(response.body().get("errors").get(0).get("message").asText().contains("common"));
    }

    @Test
    void taken_email_is_a_conflict_whatever_its_case() {
        String email = email();
        server.signUp(email);
        var response = server.anonymous().post("/api/auth/sign-up", body("email", email.toUpperCase(), "password", "another long passphrase", "name", "B"));
        assertEquals(409, response.status());
    }

    @Test
    void sign_in_with_wrong_password_or_unknown_email_gets_the_same_401() {
        String email = email();
        server.signUp(email);
        var wrongPassword = server.anonymous().post("/api/auth/sign-in", body("email", email, "password", "wrong wrong wrong"));
        var unknownEmail = server.anonymous().post("/api/auth/sign-in", body("email", email(), "password", "wrong wrong wrong"));
        assertEquals(401, wrongPassword.status());
        assertEquals(401, unknownEmail.status());
        assertEquals(wrongPassword.text("detail"), unknownEmail.text("detail"));
        assertEquals(wrongPassword.text("type"), unknownEmail.text("type"));
        assertNull(wrongPassword.header("Set-Cookie"));
    }

    @Test
    void sign_in_opens_a_new_session_and_sign_out_revokes_it_server_side() {
        String email = email();
        server.signUp(email);
        Api api = server.anonymous();
        var signIn = api.post("/api/auth/sign-in", body("email", email, "password", "correct horse battery " + email));
        assertEquals(200, signIn.status(), signIn.toString());
        String token = api.sessionCookie().orElseThrow();
        assertEquals(200, api.get("/api/me").status());

        var signOut = api.post("/api/auth/sign-out", null);
        assertEquals(204, signOut.status());
        assertTrue(signOut.header("Set-Cookie").contains("Max-Age=0"));
        // replaying the old cookie does not work: the session is revoked, not just forgotten by the browser
        assertEquals(401, server.anonymous().withSessionCookie(token).get("/api/me").status());
    }

    @Test
    void sessions_are_listed_and_one_can_be_revoked() {
        String email = email();
        Api first = server.signUp(email);
        Api second = server.anonymous();
        assertEquals(200, second.post("/api/auth/sign-in", body("email", email, "password", "correct horse battery " + email)).status());

        var sessions = first.get("/api/sessions");
        assertEquals(200, sessions.status());
        assertEquals(2, sessions.body().get("data").size());
        String otherId = null;
        for (var s : sessions.body().get("data")) {
            assertNotNull(s.get("createdAt"));
            if (!s.get("current").asBoolean()) otherId = s.get("id").asText();
        }
        assertNotNull(otherId);
        assertEquals(204, first.delete("/api/sessions/" + otherId).status());
        assertEquals(401, second.get("/api/me").status());
        assertEquals(200, first.get("/api/me").status());
        assertEquals(404, first.delete("/api/sessions/" + UUID.randomUUID()).status());
    }

    @Test
    void requests_without_a_session_get_401_problems() {
        for (String path : new String[]{"/api/me", "/api/sessions", "/api/organizations", "/api/organization", "/api/members"}) {
            var response = server.anonymous().get(path);
            assertEquals(401, response.status(), path);
            assertEquals("application/problem+json", response.header("Content-Type"));
        }
    }
}
