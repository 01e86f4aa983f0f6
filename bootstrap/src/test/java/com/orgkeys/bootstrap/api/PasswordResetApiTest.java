package com.orgkeys.bootstrap.api;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forgot password over the JSON API, with the link read from the mail a real SMTP server (GreenMail) received. */
class PasswordResetApiTest {
    private static final String BASE_URL = "https://keys.example.com";
    private static final Pattern LINK = Pattern.compile(Pattern.quote(BASE_URL) + "/reset-password\\?token=([A-Za-z0-9_-]{43})");
    private static final String NEW_PASSWORD = "a brand new passphrase";

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

    private static final String SUBJECT = "Reset your orgkeys password";

    private MimeMessage awaitMail() {
        return Mails.await(greenMail, SUBJECT);
    }

    @Test
    void a_reset_link_arrives_by_mail_sets_the_password_once_and_signs_out_every_session() throws Exception {
        Api ada = server.signUp("ada@example.com");
        String oldPassword = "correct horse battery ada@example.com"; // TestServer.signUp's

        var requested = server.anonymous().post("/api/auth/password-reset", body("email", "ADA@example.com"));
        assertEquals(202, requested.status(), requested.toString());

        MimeMessage mail = awaitMail();
        assertEquals(new InternetAddress("orgkeys <keys@example.com>"), mail.getFrom()[0]);
        assertEquals("ada@example.com", ((InternetAddress) mail.getAllRecipients()[0]).getAddress());
        Multipart parts = (Multipart) mail.getContent();
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        Matcher link = LINK.matcher(text);
        assertTrue(link.find(), text);
        assertTrue(html.contains("href=\"" + link.group() + "\""), html);
        assertTrue(text.contains("The link works once"), text);

        var confirmed = server.anonymous().post("/api/auth/password-reset/confirm",
                body("token", link.group(1), "password", NEW_PASSWORD));
        assertEquals(204, confirmed.status(), confirmed.toString());
        assertEquals(401, ada.get("/api/me").status(), "the session from before the reset is signed out");
        var again = server.anonymous().post("/api/auth/password-reset/confirm",
                body("token", link.group(1), "password", "yet another passphrase"));
        assertEquals(422, again.status(), again.toString());
        assertEquals("token", again.body().get("errors").get(0).get("field").asText());

        assertEquals(401, server.anonymous().post("/api/auth/sign-in",
                body("email", "ada@example.com", "password", oldPassword)).status());
        assertEquals(200, server.anonymous().post("/api/auth/sign-in",
                body("email", "ada@example.com", "password", NEW_PASSWORD)).status());
    }

    @Test
    void an_unknown_email_gets_the_same_answer_and_no_mail() throws Exception {
        server.signUp("ada@example.com");

        var unknown = server.anonymous().post("/api/auth/password-reset", body("email", "nobody@example.com"));
        var known = server.anonymous().post("/api/auth/password-reset", body("email", "ada@example.com"));

        assertEquals(202, unknown.status());
        assertEquals(known.status(), unknown.status());
        assertEquals(known.body(), unknown.body());
        awaitMail();
        var resets = Mails.withSubject(greenMail, SUBJECT);
        assertEquals(1, resets.size(), "only the known address got a mail");
        assertEquals("ada@example.com", resets.getFirst().getAllRecipients()[0].toString());
    }

    @Test
    void an_expired_link_is_refused() {
        server.signUp("ada@example.com");
        server.anonymous().post("/api/auth/password-reset", body("email", "ada@example.com"));
        Matcher link = LINK.matcher(Mails.text(awaitMail()));
        assertTrue(link.find());
        server.clock.advance(Duration.ofMinutes(30));

        var expired = server.anonymous().post("/api/auth/password-reset/confirm",
                body("token", link.group(1), "password", NEW_PASSWORD));
        assertEquals(422, expired.status(), expired.toString());
    }

    @Test
    void requests_for_one_email_are_throttled() {
        for (int i = 0; i < 3; i++) {
            assertEquals(202, server.anonymous().forwardedFor("198.51.100." + i)
                    .post("/api/auth/password-reset", body("email", "ada@example.com")).status());
        }
        var throttled = server.anonymous().forwardedFor("198.51.100.9")
                .post("/api/auth/password-reset", body("email", "ada@example.com"));
        assertEquals(429, throttled.status(), throttled.toString());
        assertTrue(throttled.header("Retry-After") != null, throttled.toString());
    }
}
