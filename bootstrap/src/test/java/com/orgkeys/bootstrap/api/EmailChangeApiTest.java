package com.orgkeys.bootstrap.api;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Changing one's email over the JSON API, with the mails read from a real SMTP server (GreenMail). */
class EmailChangeApiTest {
    private static final String BASE_URL = "https://keys.example.com";
    private static final String CONFIRM_SUBJECT = "Confirm your new email on orgkeys";
    private static final String CHANGED_SUBJECT = "Your orgkeys email was changed";
    private static final Pattern LINK = Pattern.compile(Pattern.quote(BASE_URL)
            + "/account/email/confirm\\?token=([A-Za-z0-9_-]{43})");

    private final GreenMail greenMail = new GreenMail(Mails.smtps());
    private final TestServer server;

    {
        server = Mails.serverSendingTo(greenMail, Map.of("BASE_URL", BASE_URL));
    }

    @AfterEach
    void stop() {
        server.close();
        greenMail.stop();
    }

    private static String password(String email) {
        return "correct horse battery " + email;
    }

    private Api.Response request(Api user, String currentEmail, String newEmail) {
        return user.post("/api/me/email", body("newEmail", newEmail, "currentPassword", password(currentEmail)));
    }

    /** The token of the newest confirmation mail, which must have gone to {@code to}. */
    private String mailedToken(String to) throws Exception {
        MimeMessage mail = Mails.await(greenMail, CONFIRM_SUBJECT);
        assertEquals(to, mail.getAllRecipients()[0].toString());
        Matcher link = LINK.matcher(Mails.text(mail));
        assertTrue(link.find(), Mails.text(mail));
        return link.group(1);
    }

    private int signInStatus(String email, String password) {
        return server.anonymous().post("/api/auth/sign-in", body("email", email, "password", password)).status();
    }

    @Test
    void the_link_mailed_to_the_new_address_moves_the_account_and_the_old_address_is_told() throws Exception {
        Api ada = server.signUp("ada@example.com");

        var requested = request(ada, "ada@example.com", "ada@example.org");

        assertEquals(202, requested.status(), requested.toString());
        String token = mailedToken("ada@example.org");
        assertEquals(200, signInStatus("ada@example.com", password("ada@example.com")), "the old email works until confirmed");
        assertEquals("ada@example.com", ada.get("/api/me").body().get("user").get("email").asText());

        var confirmed = ada.post("/api/me/email/confirm", body("token", token));

        assertEquals(200, confirmed.status(), confirmed.toString());
        assertEquals("ada@example.org", confirmed.body().get("user").get("email").asText());
        var me = ada.get("/api/me").body();
        assertEquals("ada@example.org", me.get("user").get("email").asText());
        assertTrue(me.get("emailVerified").asBoolean());
        MimeMessage notice = Mails.await(greenMail, CHANGED_SUBJECT);
        assertEquals("ada@example.com", notice.getAllRecipients()[0].toString());
        assertTrue(Mails.text(notice).contains("was changed to ada@example.org"), Mails.text(notice));
        assertEquals(200, signInStatus("ada@example.org", password("ada@example.com")));
        assertEquals(401, signInStatus("ada@example.com", password("ada@example.com")));
        assertEquals(422, ada.post("/api/me/email/confirm", body("token", token)).status(), "used");
    }

    @Test
    void an_address_of_another_account_is_a_409_when_asked_and_when_confirmed_and_nothing_changes() throws Exception {
        Api ada = server.signUp("ada@example.com");
        server.signUp("bob@example.com");

        var taken = request(ada, "ada@example.com", "Bob@Example.com");
        assertEquals(409, taken.status(), taken.toString());

        assertEquals(202, request(ada, "ada@example.com", "carol@example.com").status());
        String token = mailedToken("carol@example.com");
        server.signUp("carol@example.com");
        var late = ada.post("/api/me/email/confirm", body("token", token));

        assertEquals(409, late.status(), late.toString());
        assertEquals("ada@example.com", ada.get("/api/me").body().get("user").get("email").asText());
        assertEquals(200, signInStatus("ada@example.com", password("ada@example.com")));
        assertEquals(List.of(), Mails.withSubject(greenMail, CHANGED_SUBJECT));
    }

    @Test
    void a_wrong_password_a_foreign_or_expired_token_change_nothing() throws Exception {
        Api ada = server.signUp("ada@example.com");
        Api mallory = server.signUp("mallory@example.com");

        var wrong = ada.post("/api/me/email", body("newEmail", "ada@example.org", "currentPassword", "not the password"));
        assertEquals(422, wrong.status(), wrong.toString());
        assertEquals("currentPassword", wrong.body().get("errors").get(0).get("field").asText());
        var malformed = ada.post("/api/me/email", body("newEmail", "not an address", "currentPassword", "x"));
        assertEquals("newEmail", malformed.body().get("errors").get(0).get("field").asText());

        assertEquals(202, request(ada, "ada@example.com", "ada@example.org").status());
        String token = mailedToken("ada@example.org");
        var foreign = mallory.post("/api/me/email/confirm", body("token", token));
        assertEquals(422, foreign.status(), foreign.toString());
        assertEquals("token", foreign.body().get("errors").get(0).get("field").asText());
        assertEquals(422, ada.post("/api/me/email/confirm", body("token", "x".repeat(43))).status());
        assertEquals(401, server.anonymous().post("/api/me/email/confirm", body("token", token)).status());

        server.clock.advance(Duration.ofHours(24));
        assertEquals(422, ada.post("/api/me/email/confirm", body("token", token)).status(), "expired");
        assertEquals("ada@example.com", ada.get("/api/me").body().get("user").get("email").asText());
        assertEquals("mallory@example.com", mallory.get("/api/me").body().get("user").get("email").asText());
    }

    @Test
    void after_a_change_invitations_to_the_new_address_can_be_accepted_and_those_to_the_old_one_not() throws Exception {
        Api owner = server.signUp("owner@example.com");
        owner.post("/api/organizations", body("name", "Engines"));
        String toOld = owner.post("/api/invitations", body("email", "bob@example.com", "role", "org:member")).text("acceptUrl");
        String toNew = owner.post("/api/invitations", body("email", "bob@example.org", "role", "org:member")).text("acceptUrl");
        Api bob = server.signUp("bob@example.com");
        assertEquals(202, request(bob, "bob@example.com", "bob@example.org").status());
        assertEquals(200, bob.post("/api/me/email/confirm", body("token", mailedToken("bob@example.org"))).status());

        var old = bob.post("/api/invitations/accept", body("token", toOld.substring(toOld.indexOf("token=") + 6)));
        assertEquals(403, old.status(), old.toString());
        var accepted = bob.post("/api/invitations/accept", body("token", toNew.substring(toNew.indexOf("token=") + 6)));
        assertEquals(200, accepted.status(), accepted.toString());
    }
}
