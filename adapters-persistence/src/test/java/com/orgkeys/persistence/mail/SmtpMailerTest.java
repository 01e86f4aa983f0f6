package com.orgkeys.persistence.mail;

import com.icegreen.greenmail.util.DummySSLSocketFactory;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.orgkeys.application.mail.port.out.InvitationMail;
import com.orgkeys.application.outbox.port.out.UndeliverableException;
import com.orgkeys.domain.account.Email;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SMTP adapter against a real SMTP server in the test JVM (GreenMail, self-signed certificate). */
class SmtpMailerTest {
    private static final URI ORIGIN = URI.create("https://keys.example.com");
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final SmtpMailer.Tls GREENMAIL_TLS = new SmtpMailer.Tls(Optional.of(new DummySSLSocketFactory()), false);
    private static final InvitationMail MAIL = new InvitationMail(new Email("bob@example.com"), "Acme <b>&</b> Co",
            "Alice Smith", "Admin", ORIGIN + "/invitations/accept?token=abc%2Bdef", Instant.parse("2025-03-08T10:00:00Z"));

    private final GreenMail greenMail = new GreenMail(new ServerSetup[]{ServerSetupTest.SMTPS.dynamicPort(),
            ServerSetupTest.SMTP.dynamicPort()});

    {
        greenMail.start();
    }

    @AfterEach
    void stop() {
        greenMail.stop();
    }

    private SmtpMailer mailer(String url) {
        return new SmtpMailer(SmtpUrl.parse(url), SmtpMailer.parseFrom("orgkeys <keys@example.com>"), ORIGIN,
                GREENMAIL_TLS, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void an_invitation_arrives_as_plain_text_and_html_naming_organization_inviter_and_role() throws Exception {
        greenMail.setUser("keys@example.com", "mailer", "p@ss:word/1");

        mailer("smtps://mailer:p%40ss%3Aword%2F1@127.0.0.1:" + greenMail.getSmtps().getPort()).send(MAIL);

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(1, received.length);
        MimeMessage message = received[0];
        assertEquals(new InternetAddress("orgkeys <keys@example.com>"), message.getFrom()[0]);
        assertEquals("bob@example.com", ((InternetAddress) message.getAllRecipients()[0]).getAddress());
        assertEquals("Alice Smith invited you to join Acme <b>&</b> Co on orgkeys", message.getSubject());
        assertTrue(message.isMimeType("multipart/alternative"), message.getContentType());
        Multipart parts = (Multipart) message.getContent();
        assertEquals(2, parts.getCount());
        Part text = parts.getBodyPart(0);
        Part html = parts.getBodyPart(1);
        assertTrue(text.isMimeType("text/plain"), text.getContentType());
        assertTrue(html.isMimeType("text/html"), html.getContentType());
        String plain = (String) text.getContent();
        String rich = (String) html.getContent();
        assertTrue(plain.contains("Alice Smith invited you to join Acme <b>&</b> Co on orgkeys with the role Admin."), plain);
        assertTrue(plain.contains(MAIL.acceptUrl()), plain);
        assertTrue(plain.contains("valid until 8 March 2025, 10:00 UTC"), plain);
        assertTrue(plain.contains("orgkeys · https://keys.example.com"), plain);
        assertTrue(rich.contains("<strong>Acme &lt;b&gt;&amp;&lt;/b&gt; Co</strong>"), "escaped in HTML: " + rich);
        assertTrue(rich.contains("<strong>Alice Smith</strong>") && rich.contains("<strong>Admin</strong>"), rich);
        assertTrue(rich.contains("href=\"" + MAIL.acceptUrl() + "\""), rich);
        assertTrue(rich.contains("href=\"https://keys.example.com\""), rich);
    }

    @Test
    void a_wrong_password_is_refused_and_not_repeated_in_the_error() {
        greenMail.setUser("keys@example.com", "mailer", "the-right-one");

        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                mailer("smtps://mailer:hunter2-secret@127.0.0.1:" + greenMail.getSmtps().getPort()).send(MAIL));

        assertEquals(0, greenMail.getReceivedMessages().length);
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void smtp_plus_plain_delivers_to_a_test_server_on_this_machine() throws Exception {
        mailer("smtp+plain://127.0.0.1:" + greenMail.getSmtp().getPort()).send(MAIL);

        assertEquals(1, greenMail.getReceivedMessages().length);
    }

    @Test
    void smtp_without_starttls_at_the_server_sends_nothing_rather_than_plain_text() {
        // GreenMail's plain SMTP offers no STARTTLS: a downgraded connection must not carry the mail
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> mailer("smtp://mailer:hunter2-secret@127.0.0.1:" + greenMail.getSmtp().getPort()).send(MAIL));

        assertEquals(0, greenMail.getReceivedMessages().length);
        assertTrue(e.getMessage().contains("STARTTLS"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void a_server_that_is_not_there_fails_at_once_without_the_password_in_the_error() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> mailer("smtps://mailer:hunter2-secret@127.0.0.1:" + closedPort).send(MAIL));

        assertTrue(e.getMessage().startsWith("SMTP smtps://mailer:***@127.0.0.1:" + closedPort + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    /**
     * A server that knows no mailbox: it answers RCPT TO with {@code rcptReply} (GreenMail accepts every recipient).
     * Serves one session on a loopback port, in a daemon thread; the port is returned.
     */
    private static int refusingServer(String rcptReply) throws Exception {
        ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try (socket; var peer = socket.accept();
                 var in = new java.io.BufferedReader(new java.io.InputStreamReader(peer.getInputStream(),
                         java.nio.charset.StandardCharsets.US_ASCII));
                 var out = new java.io.PrintWriter(peer.getOutputStream(), true, java.nio.charset.StandardCharsets.US_ASCII)) {
                peer.setSoTimeout(10_000);
                out.print("220 refusing.test ESMTP\r\n");
                out.flush();
                for (String line; (line = in.readLine()) != null; ) {
                    String command = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(java.util.Locale.ROOT);
                    out.print(switch (command) {
                        case "EHLO", "HELO", "MAIL", "RSET", "NOOP" -> "250 OK\r\n";
                        case "RCPT" -> rcptReply + "\r\n";
                        case "QUIT" -> "221 bye\r\n";
                        default -> "502 not implemented\r\n";
                    });
                    out.flush();
                    if (command.equals("QUIT")) return;
                }
            } catch (java.io.IOException e) {
                // the client went away: the test's assertions tell what happened
            }
        });
        return socket.getLocalPort();
    }

    @Test
    void a_mailbox_the_server_refuses_for_good_is_undeliverable_and_a_passing_refusal_is_not() throws Exception {
        int permanent = refusingServer("550 5.1.1 <bob@example.com>: no such mailbox");
        var undeliverable = assertThrows(UndeliverableException.class,
                () -> mailer("smtp+plain://127.0.0.1:" + permanent).send(MAIL));
        assertTrue(undeliverable.getMessage().contains("550 5.1.1"), undeliverable.getMessage());

        int passing = refusingServer("450 4.2.1 mailbox busy, try later");
        var retried = assertThrows(IllegalStateException.class,
                () -> mailer("smtp+plain://127.0.0.1:" + passing).send(MAIL));
        assertTrue(retried.getMessage().contains("450 4.2.1"), "retried later, as a passing failure: " + retried);
    }

    @Test
    void an_address_that_is_not_one_plain_mailbox_is_undeliverable_and_nothing_is_sent() {
        greenMail.setUser("keys@example.com", "mailer", "secret");
        for (String stored : new String[] {"ceo<attacker@evil.example>", "victim@corp.example(x)", "a@b.example,c"}) {
            InvitationMail mail = new InvitationMail(new Email(stored), "Acme", "Alice", "Admin", ORIGIN + "/x",
                    Instant.parse("2025-03-08T10:00:00Z"));
            assertThrows(UndeliverableException.class,
                    () -> mailer("smtps://mailer:secret@127.0.0.1:" + greenMail.getSmtps().getPort()).send(mail), stored);
        }
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void a_certificate_that_does_not_verify_is_refused() {
        SmtpMailer verifying = new SmtpMailer(SmtpUrl.parse("smtps://127.0.0.1:" + greenMail.getSmtps().getPort()),
                SmtpMailer.parseFrom("keys@example.com"), ORIGIN, SmtpMailer.Tls.verified(),
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThrows(IllegalStateException.class, () -> verifying.send(MAIL));
        assertEquals(0, greenMail.getReceivedMessages().length);
    }
}
