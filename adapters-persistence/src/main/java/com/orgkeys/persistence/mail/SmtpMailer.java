package com.orgkeys.persistence.mail;

import com.orgkeys.application.mail.port.out.Mail;
import com.orgkeys.application.mail.port.out.Mailer;
import com.orgkeys.application.outbox.port.out.UndeliverableException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;

import javax.net.ssl.SSLSocketFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Sends mail through an SMTP server (Jakarta Mail, Eclipse Angus): one connection per mail, TLS always (STARTTLS
 * required on smtp://, implicit on smtps://), the server's certificate checked against the JVM's trust store and its
 * host name, and every socket operation bounded so that a dead server cannot hold the outbox worker.
 */
public final class SmtpMailer implements Mailer {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How TLS connections are checked. {@link #verified()} in production; tests against a server with a self-signed
     * certificate (GreenMail) pass their own socket factory and skip the host name check.
     */
    public record Tls(Optional<SSLSocketFactory> socketFactory, boolean checkServerIdentity) {
        public static Tls verified() {
            return new Tls(Optional.empty(), true);
        }
    }

    private final SmtpUrl url;
    private final InternetAddress from;
    private final MailTemplates templates;
    private final Session session;
    private final Clock clock;

    public SmtpMailer(SmtpUrl url, InternetAddress from, URI origin, Tls tls, Clock clock) {
        this.url = Objects.requireNonNull(url, "url");
        this.from = Objects.requireNonNull(from, "from");
        this.templates = new MailTemplates(origin);
        this.clock = clock;
        this.session = Session.getInstance(properties(url, tls));
    }

    /** MAIL_FROM: one address, optionally with a name ({@code orgkeys <keys@example.com>}). */
    public static InternetAddress parseFrom(String text) {
        try {
            InternetAddress[] addresses = InternetAddress.parse(text.strip(), true);
            if (addresses.length != 1) throw new IllegalArgumentException("must be one address, got " + addresses.length);
            addresses[0].validate();
            return addresses[0];
        } catch (AddressException e) {
            throw new IllegalArgumentException("is not a mail address such as orgkeys <keys@example.com>: "
                    + e.getMessage());
        }
    }

    private static Properties properties(SmtpUrl url, Tls tls) {
        String protocol = url.implicitTls() ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol);
        props.put(p + "host", url.host());
        props.put(p + "port", String.valueOf(url.port()));
        props.put(p + "auth", String.valueOf(url.user().isPresent()));
        props.put(p + "connectiontimeout", String.valueOf(CONNECT_TIMEOUT.toMillis()));
        props.put(p + "timeout", String.valueOf(READ_TIMEOUT.toMillis()));
        props.put(p + "writetimeout", String.valueOf(WRITE_TIMEOUT.toMillis()));
        if (url.security() == SmtpUrl.Security.STARTTLS) {
            // never in plain text: a server (or a man in the middle) that does not offer STARTTLS gets nothing
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        props.put(p + "ssl.checkserveridentity", String.valueOf(tls.checkServerIdentity()));
        tls.socketFactory().ifPresent(factory -> props.put(p + "ssl.socketFactory", factory));
        return props;
    }

    @Override
    public void send(Mail mail) {
        MailTemplates.Rendered rendered = templates.render(mail);
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipient(Message.RecipientType.TO, recipient(mail.to().value()));
            message.setSubject(rendered.subject(), StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(clock.instant()));
            MimeBodyPart text = new MimeBodyPart();
            text.setText(rendered.text(), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(rendered.html(), StandardCharsets.UTF_8.name(), "html");
            MimeMultipart alternative = new MimeMultipart("alternative"); // the last part is the preferred one
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            message.setContent(alternative);
            message.saveChanges();
            try (Transport transport = session.getTransport()) {
                transport.connect(url.host(), url.port(), url.user().orElse(null), url.password().orElse(null));
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (MessagingException e) {
            // the server's answer or the socket's failure; never the password (not part of either)
            String failure = "SMTP " + url.redacted() + ": " + replies(e);
            if (e instanceof AddressException || recipientRefusedForGood(e).isPresent()) {
                throw new UndeliverableException(failure, e);
            }
            throw new IllegalStateException(failure, e);
        }
    }

    /**
     * The one mailbox {@code address} names, or AddressException: an address stored before orgkeys required plain
     * mailboxes may carry a display name or a list ({@code ceo<attacker@evil.example>}), and mail goes only to the
     * address as it was verified.
     */
    static InternetAddress recipient(String address) throws AddressException {
        InternetAddress parsed = new InternetAddress(address, true);
        if (parsed.getPersonal() != null || !address.equals(parsed.getAddress())) {
            throw new AddressException("not a plain mailbox", address);
        }
        return parsed;
    }

    /** The failure and the server replies chained to it ("Invalid Addresses: 550 5.1.1 …"), on one line. */
    private static String replies(MessagingException failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()).strip());
        for (Exception e = next(failure); e != null; e = next(e)) {
            text.append(": ").append(String.valueOf(e.getMessage()).strip());
        }
        return text.toString();
    }

    private static Exception next(Exception e) {
        return e instanceof MessagingException m && m.getNextException() != e ? m.getNextException() : null;
    }

    /**
     * The server's permanent (5xx) refusal of the recipient, if that is what failed: the address, not the server or
     * our login, so a retry would be refused again. A refusal of the sender or of the login (530, 535) is a setting
     * an operator fixes, and is retried.
     */
    static Optional<SMTPAddressFailedException> recipientRefusedForGood(MessagingException failure) {
        for (Exception e = failure; e != null; e = next(e)) {
            if (e instanceof SMTPAddressFailedException refused && refused.getReturnCode() / 100 == 5) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }

    /** The server, without the password. */
    @Override
    public String toString() {
        return "SmtpMailer[" + url.redacted() + ", from " + from + "]";
    }
}
