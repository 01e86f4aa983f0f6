package com.orgkeys.persistence.mail;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where mail goes (SMTP_URL): {@code smtp://user:pass@host:587} (STARTTLS, required: never plain text) or
 * {@code smtps://user:pass@host:465} (TLS from the first byte). User and password are percent-decoded and optional
 * (a relay that trusts the network). The password never appears in {@link #toString} or in an error.
 */
public record SmtpUrl(boolean implicitTls, String host, int port, Optional<String> user, Optional<String> password) {
    public static final int STARTTLS_PORT = 587;
    public static final int IMPLICIT_TLS_PORT = 465;

    public SmtpUrl {
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
        boolean implicitTls = switch (scheme) {
            case "smtp" -> false;
            case "smtps" -> true;
            default -> throw new IllegalArgumentException("must start with smtp:// (STARTTLS, port 587) or smtps:// "
                    + "(implicit TLS, port 465), got '" + (scheme.isEmpty() ? "no scheme" : scheme + "://") + "'");
        };
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("needs a host, as in " + scheme + "://user:password@mail.example.com");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must be " + scheme + "://[user:password@]host[:port], without a path "
                    + "or query");
        }
        int port = uri.getPort() == -1 ? (implicitTls ? IMPLICIT_TLS_PORT : STARTTLS_PORT) : uri.getPort();
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 1) throw new IllegalArgumentException("must give user and password as user:password@ (or neither)");
            user = Optional.of(decode(userInfo.substring(0, colon)));
            password = Optional.of(decode(userInfo.substring(colon + 1)));
        }
        return new SmtpUrl(implicitTls, uri.getHost(), port, user, password);
    }

    private static String decode(String raw) {
        // a '+' is a plus here, not a space (this is a URL's user info, not a form)
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URL without the password, for logs and errors. */
    public String redacted() {
        return (implicitTls ? "smtps" : "smtp") + "://" + user.map(u -> u + ":***@").orElse("") + host + ":" + port;
    }

    @Override
    public String toString() {
        return redacted();
    }
}
