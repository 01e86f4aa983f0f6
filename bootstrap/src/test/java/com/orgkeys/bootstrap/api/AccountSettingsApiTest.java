package com.orgkeys.bootstrap.api;

import com.orgkeys.application.mail.port.out.PasswordChangedMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Changing one's own password and name over the JSON API. */
class AccountSettingsApiTest {
    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_new_password_needs_the_current_one_and_signs_out_the_other_sessions() {
        Api ada = server.signUp("ada@example.com");
        Api otherBrowser = server.anonymous();
        assertEquals(200, otherBrowser.post("/api/auth/sign-in",
                body("email", "ada@example.com", "password", "correct horse battery ada@example.com")).status());
        Api otherSession = otherBrowser.sessionCookie().map(server.anonymous()::withSessionCookie).orElseThrow();

        var wrong = ada.post("/api/me/password", body("currentPassword", "not it", "newPassword", "a brand new passphrase"));
        assertEquals(422, wrong.status(), wrong.toString());
        assertEquals("currentPassword", wrong.body().get("errors").get(0).get("field").asText());
        var changed = ada.post("/api/me/password", body("currentPassword", "correct horse battery ada@example.com",
                "newPassword", "a brand new passphrase"));
        assertEquals(204, changed.status(), changed.toString());

        assertEquals(200, ada.get("/api/me").status());
        assertEquals(401, otherSession.get("/api/me").status());
        server.mailer.await(PasswordChangedMail.class, m -> m.to().value().equals("ada@example.com"), Duration.ofSeconds(20));
    }

    @Test
    void a_name_is_changed() {
        Api ada = server.signUp("ada@example.com");

        var renamed = ada.patch("/api/me", body("name", "Ada Lovelace"));

        assertEquals(200, renamed.status(), renamed.toString());
        assertEquals("Ada Lovelace", renamed.body().get("user").get("name").asText());
        assertEquals("Ada Lovelace", ada.get("/api/me").body().get("user").get("name").asText());
        assertEquals(422, ada.patch("/api/me", body("name", "")).status());
    }
}
