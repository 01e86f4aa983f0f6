package com.orgkeys.persistence.database;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A PostgreSQL location as users write it: {@code postgresql://user:pass@host:port/db?params} (the libpq form
 * that hosting providers hand out) or {@code jdbc:postgresql://host:port/db?user=…}. Credentials are kept
 * apart from the JDBC URL so that the URL can be logged.
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {
    public DatabaseUrl {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** @throws IllegalArgumentException with a message fit for the user when the text is not such a URL */
    public static DatabaseUrl parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("must not be empty");
        String value = text.strip();
        if (value.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(value, Optional.empty(), Optional.empty());
        }
        if (!value.startsWith("postgresql://") && !value.startsWith("postgres://")) {
            throw new IllegalArgumentException(
                    "must start with postgresql:// or jdbc:postgresql:// (got '" + redact(value) + "')");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("has no host");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty()) throw new IllegalArgumentException("has no database name (…/dbname)");
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String jdbc = "jdbc:postgresql://" + hostForUrl(uri.getHost()) + ":" + port + "/" + database
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0])).filter(s -> !s.isEmpty());
            if (parts.length == 2) password = Optional.of(decode(parts[1]));
        }
        return new DatabaseUrl(jdbc, user, password);
    }

    /** The URL without password, for log lines. */
    public String redacted() {
        return redact(jdbcUrl);
    }

    /** Never the password: a URL ends up in log lines and assertion messages. */
    @Override
    public String toString() {
        return "DatabaseUrl[" + redacted() + user.map(u -> ", user " + u).orElse("")
                + password.map(p -> ", password ***").orElse("") + "]";
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(://[^:/@]*:)[^@]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
