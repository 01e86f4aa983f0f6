package com.orgkeys.bootstrap.api;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The mails a GreenMail server received, picked by subject (sign-ups send verification mails of their own). */
public final class Mails {
    private Mails() {
    }

    /** GreenMail's SMTPS on a free port, given time to start on a busy machine (its default is 2 s). */
    public static ServerSetup smtps() {
        ServerSetup setup = ServerSetupTest.SMTPS.dynamicPort();
        setup.setServerStartupTimeout(20_000);
        return setup;
    }

    public static List<MimeMessage> withSubject(GreenMail greenMail, String subject) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (MessagingException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    /** The newest mail with this subject, waiting up to 20 s for one to arrive. */
    public static MimeMessage await(GreenMail greenMail, String subject) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            List<MimeMessage> found = withSubject(greenMail, subject);
            if (!found.isEmpty()) return found.getLast();
            if (Instant.now().isAfter(deadline)) throw new AssertionError("no mail '" + subject + "' within 20 s");
            greenMail.waitForIncomingEmail(200, greenMail.getReceivedMessages().length + 1); // a bounded poll
        }
    }

    /** The plain-text part of a multipart/alternative mail. */
    public static String text(MimeMessage mail) {
        try {
            return (String) ((Multipart) mail.getContent()).getBodyPart(0).getContent();
        } catch (IOException | MessagingException e) {
            throw new AssertionError(e);
        }
    }
}
