package com.orgkeys.bootstrap.api;

import com.icegreen.greenmail.util.DummySSLSocketFactory;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.orgkeys.persistence.mail.SmtpMailer;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * Starts {@code greenMail} with orgkeys' SMTP account, and a server (with {@code env} besides) sending to it
     * over SMTPS with a password that needs percent-encoding, trusting GreenMail's own certificate.
     */
    public static TestServer serverSendingTo(GreenMail greenMail, Map<String, String> env) {
        greenMail.start();
        // the CI's scan of the test logs fails on "hunter2-smtp": the password must not reach them
        greenMail.setUser("keys@example.com", "mailer", "hunter2-smtp:p@ss");
        Map<String, String> all = new HashMap<>(env);
        all.put("SMTP_URL", "smtps://mailer:hunter2-smtp%3Ap%40ss@127.0.0.1:" + greenMail.getSmtps().getPort());
        all.put("MAIL_FROM", "orgkeys <keys@example.com>");
        return TestServer.start(all, new SmtpMailer.Tls(Optional.of(new DummySSLSocketFactory()), false))
                .readingVerificationMailsWith(email -> verificationCode(greenMail, email));
    }

    public static final String VERIFICATION_SUBJECT = "Confirm your email on orgkeys";
    private static final Pattern VERIFICATION_CODE = Pattern.compile("Or enter this code where you signed up: ([0-9]{6})");

    /** The code of the newest verification mail to {@code email}, waiting up to 20 s for one to arrive. */
    public static String verificationCode(GreenMail greenMail, String email) {
        MimeMessage mail = await(greenMail, VERIFICATION_SUBJECT, email);
        Matcher code = VERIFICATION_CODE.matcher(text(mail));
        if (!code.find()) throw new AssertionError("no code in the verification mail: " + text(mail));
        return code.group(1);
    }

    /** The newest mail with this subject to {@code to}, waiting up to 20 s for one to arrive. */
    public static MimeMessage await(GreenMail greenMail, String subject, String to) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            List<MimeMessage> found = withSubject(greenMail, subject).stream().filter(m -> {
                try {
                    return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(to));
                } catch (MessagingException e) {
                    throw new AssertionError(e);
                }
            }).toList();
            if (!found.isEmpty()) return found.getLast();
            if (Instant.now().isAfter(deadline)) throw new AssertionError("no mail '" + subject + "' to " + to + " within 20 s");
            greenMail.waitForIncomingEmail(200, greenMail.getReceivedMessages().length + 1); // a bounded poll
        }
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
