package com.orgkeys.bootstrap;

import com.orgkeys.application.mail.port.out.Mailer;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoggingMailerTest {

    @Test
    void links_and_codes_are_logged_while_orgkeys_is_tried_and_never_behind_https() {
        LoggingMailer logging = new LoggingMailer();

        assertTrue(((LoggingMailer) Application.loggedMail(logging, URI.create("http://localhost:8080"))).writesSecrets());
        assertTrue(((LoggingMailer) Application.loggedMail(logging, URI.create("http://devbox:8080"))).writesSecrets());
        assertFalse(((LoggingMailer) Application.loggedMail(logging, URI.create("https://keys.example.com")))
                .writesSecrets());
    }

    @Test
    void a_mailer_a_test_passes_in_is_used_as_it_is() {
        Mailer recording = mail -> { };
        assertSame(recording, Application.loggedMail(recording, URI.create("https://keys.example.com")));
    }
}
