package com.orgkeys.bootstrap.api;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sign-up's verification mail, read from a real SMTP server (GreenMail), and its link and code over the API. */
class EmailVerificationApiTest {
    private static final String BASE_URL = "https://keys.example.com";
    private static final String SUBJECT = "Confirm your email on orgkeys";
    private static final Pattern LINK = Pattern.compile(Pattern.quote(BASE_URL) + "/verify-email\\?token=([A-Za-z0-9_-]{43})");
    private static final Pattern CODE = Pattern.compile("Or enter this code where you signed up: ([0-9]{6})");

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

    private String mailText() throws Exception {
        MimeMessage mail = Mails.await(greenMail, SUBJECT);
        assertEquals("ada@example.com", mail.getAllRecipients()[0].toString());
        return Mails.text(mail);
    }

    @Test
    void the_code_from_the_sign_up_mail_verifies_the_email() throws Exception {
        Api ada = server.signUpUnverified("ada@example.com");
        assertFalse(ada.get("/api/me").body().get("emailVerified").asBoolean());
        Matcher code = CODE.matcher(mailText());
        assertTrue(code.find());

        var wrong = ada.post("/api/auth/verify-email", body("code", code.group(1).equals("000000") ? "000001" : "000000"));
        assertEquals(422, wrong.status(), wrong.toString());
        var verified = ada.post("/api/auth/verify-email", body("code", code.group(1)));
        assertEquals(204, verified.status(), verified.toString());
        assertTrue(ada.get("/api/me").body().get("emailVerified").asBoolean());
        assertEquals(409, ada.post("/api/auth/verify-email/resend", null).status());
    }

    @Test
    void the_link_from_the_sign_up_mail_verifies_the_email_of_its_own_user_only() throws Exception {
        Api ada = server.signUpUnverified("ada@example.com");
        Api mallory = server.signUpUnverified("mallory@example.com");
        Matcher link = LINK.matcher(mailText());
        assertTrue(link.find());

        assertEquals(422, mallory.post("/api/auth/verify-email", body("token", link.group(1))).status());
        assertEquals(204, ada.post("/api/auth/verify-email", body("token", link.group(1))).status());
        assertTrue(ada.get("/api/me").body().get("emailVerified").asBoolean());
        assertFalse(mallory.get("/api/me").body().get("emailVerified").asBoolean());
    }
}
