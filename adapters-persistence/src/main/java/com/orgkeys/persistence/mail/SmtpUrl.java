package com.orgkeys.persistence.mail;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where mail goes (SMTP_URL): {@code smtp://user:pass@host:587} (STARTTLS, required: never plain text),
 * {@code smtps://user:pass@host:465} (TLS from the first byte), or {@code smtp+plain://localhost:1025} (plain text,
 * to this machine only: a local test server such as Mailpit or GreenMail). User and password are percent-decoded
 * and optional (a relay that trusts the network). The password never appears in {@link #toString} or in an error.
 */
public record SmtpUrl(Security security, String host, int port, Optional<String> user, Optional<String> password) {
    public static final int STARTTLS_PORT = 587;
    public static final int IMPLICIT_TLS_PORT = 465;
    public static final int PLAIN_PORT = 25;

    /** How the connection is protected, by scheme. */
    public enum Security {
        STARTTLS("smtp"), IMPLICIT_TLS("smtps"), PLAIN_LOOPBACK("smtp+plain");

        final String scheme;

        Security(String scheme) {
            this.scheme = scheme;
        }
    }

    public SmtpUrl {
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isPresent() != password.isPresent()) throw new IllegalArgumentException("user and password go together");
    }

    /** Parses SMTP_URL; IllegalArgumentException with a message naming the problem (and never the password). */
    public static SmtpUrl parse(String text) {
        Objects.requireNonNull(text, "text");
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL (expected smtp://user:password@host:587 or "
                    + "smtps://user:password@host:465; percent-encode special characters in the password)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Security security = switch (scheme) {
            case "smtp" -> Security.STARTTLS;
            case "smtps" -> Security.IMPLICIT_TLS;
            case "smtp+plain" -> Security.PLAIN_LOOPBACK;
            default -> throw new IllegalArgumentException("must start with smtp:// (STARTTLS, port 587) or smtps:// "
                    + "(implicit TLS, port 465), or smtp+plain:// for a test server on this machine, got '"
                    + (scheme.isEmpty() ? "no scheme" : scheme + "://") + "'");
        };
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("needs a host, as in " + scheme + "://user:password@mail.example.com");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must be " + scheme + "://[user:password@]host[:port], without a path "
                    + "or query");
        }
        if (security == Security.PLAIN_LOOPBACK && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("smtp+plain:// sends in plain text, so only to this machine (localhost, "
                    + "127.0.0.1 or [::1]), got host '" + uri.getHost() + "': use smtp:// (STARTTLS) or smtps://");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : switch (security) {
            case STARTTLS -> STARTTLS_PORT;
            case IMPLICIT_TLS -> IMPLICIT_TLS_PORT;
            case PLAIN_LOOPBACK -> PLAIN_PORT;
        };
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 1) throw new IllegalArgumentException("must give user and password as user:password@ (or neither)");
            user = Optional.of(decode(userInfo.substring(0, colon)));
            password = Optional.of(decode(userInfo.substring(colon + 1)));
        }
        return new SmtpUrl(security, uri.getHost(), port, user, password);
    }

    /** By name only (no lookup): localhost, or an IPv4 127.x.x.x or IPv6 ::1 literal. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("[::1]") || h.equals("::1")) return true;
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) return false;
        for (String part : parts) {
            if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) return false;
        }
        return true;
    }

    public boolean implicitTls() {
        return security == Security.IMPLICIT_TLS;
    }

    private static String decode(String raw) {
        // a '+' is a plus here, not a space (this is a URL's user info, not a form)
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URL without the password, for logs and errors. */
    public String redacted() {
        return security.scheme + "://" + user.map(u -> u + ":***@").orElse("") + host + ":" + port;
    }

    @Override
    public String toString() {
        return redacted();
    }
}
