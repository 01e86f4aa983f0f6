package com.orgkeys.bootstrap;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.secretkey.InstanceAdmins;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.http.server.TrustedProxies;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.mail.SmtpMailer;
import com.orgkeys.persistence.mail.SmtpUrl;
import jakarta.mail.internet.InternetAddress;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Settings from environment variables, all checked at once so that a user sees every problem in one go. */
public record Config(String host, int port, Path dataDir, Optional<DatabaseUrl> databaseUrl,
                     Optional<URI> baseUrl, String logLevel, TrustedProxies trustedProxies,
                     Duration shutdownDrain, Optional<DatabaseUrl> databaseListenUrl, Metrics metrics,
                     Duration retention, Optional<Duration> auditRetention, Optional<Path> auditArchiveDir,
                     int apiKeyCacheSize, int databasePoolSize, Optional<Mail> mail, InstanceAdmins admins,
                     boolean webhooksAllowPrivate, Duration webhookRetention) {

    /** SMTP_URL and MAIL_FROM: where mail goes and whom it is from. Neither set: mail is only logged. */
    public record Mail(SmtpUrl smtpUrl, InternetAddress from) {
    }

    /**
     * Where /metrics is served: on the public port behind {@code METRICS_TOKEN} (Bearer), and/or on a listener of
     * its own ({@code METRICS_HOST}:{@code METRICS_PORT}) without credentials. Neither set: nowhere (404).
     */
    public record Metrics(Optional<String> token, Optional<Integer> port, String host) {
        static final int MIN_TOKEN_LENGTH = 16;
    }

    /**
     * SHUTDOWN_DRAIN_SECONDS when unset: long enough for a balancer checking /readyz every 2 s to see two failures;
     * 0 with the embedded database, which admits one node only, so there is no other node to send the work to.
     */
    static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);
    static final int MAX_DRAIN_SECONDS = 600;
    /** RETENTION_DAYS when unset: how long ended sessions and finished invitations are kept. */
    static final int DEFAULT_RETENTION_DAYS = 30;
    static final int MAX_RETENTION_DAYS = 3650;
    /** AUDIT_RETENTION_DAYS when unset: how long audit events are kept (0: for ever). */
    static final int DEFAULT_AUDIT_RETENTION_DAYS = 365;
    /** WEBHOOK_RETENTION_DAYS when unset: how long delivered or given-up webhook messages and attempts are kept. */
    static final int DEFAULT_WEBHOOK_RETENTION_DAYS = 30;
    /**
     * API_KEY_CACHE_SIZE when unset: how many API keys each process remembers between requests (80 bytes each,
     * outside the heap, taken at start: 80 MB), so that a million keys in use cost no lookup per request.
     */
    static final int DEFAULT_API_KEY_CACHE_SIZE = 1_000_000;
    static final int MAX_API_KEY_CACHE_SIZE = 20_000_000;
    /**
     * DATABASE_POOL_SIZE when unset: connections each process keeps to PostgreSQL for requests and jobs (the
     * revocation feed has one more of its own). Several nodes on one server share its max_connections.
     */
    static final int DEFAULT_DATABASE_POOL_SIZE = 20;
    static final int MIN_DATABASE_POOL_SIZE = 2;
    static final int MAX_DATABASE_POOL_SIZE = 500;
    static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    /** Thrown with one line per problem; Main prints them and exits with status 2. */
    public static final class InvalidConfigException extends RuntimeException {
        private final List<String> problems;

        InvalidConfigException(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    public static Config fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String host = value(env, "HOST").orElse("0.0.0.0");
        int port = 8080;
        Optional<String> portText = value(env, "PORT");
        if (portText.isPresent()) {
            try {
                port = Integer.parseInt(portText.get());
                if (port < 0 || port > 65535) problems.add("PORT must be 0–65535 (0 = any free port), got " + port);
            } catch (NumberFormatException e) {
                problems.add("PORT must be a number 0–65535 (0 = any free port), got '" + portText.get() + "'");
            }
        }
        Path dataDir = Path.of("data");
        Optional<String> dataDirText = value(env, "DATA_DIR");
        if (dataDirText.isPresent()) {
            try {
                dataDir = Path.of(dataDirText.get());
            } catch (RuntimeException e) {
                problems.add("DATA_DIR is not a valid path: '" + dataDirText.get() + "'");
            }
        }
        Optional<DatabaseUrl> databaseUrl = Optional.empty();
        Optional<String> databaseText = value(env, "DATABASE_URL");
        if (databaseText.isPresent()) {
            try {
                databaseUrl = Optional.of(DatabaseUrl.parse(databaseText.get()));
            } catch (IllegalArgumentException e) {
                problems.add("DATABASE_URL " + e.getMessage());
            }
        }
        Optional<URI> baseUrl = Optional.empty();
        Optional<String> baseText = value(env, "BASE_URL");
        if (baseText.isPresent()) {
            try {
                URI uri = URI.create(baseText.get().replaceAll("/+$", ""));
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                        || (uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getQuery() != null) {
                    problems.add("BASE_URL must be an origin such as https://keys.example.com (no path), got '"
                            + baseText.get() + "'");
                } else {
                    baseUrl = Optional.of(uri);
                }
            } catch (IllegalArgumentException e) {
                problems.add("BASE_URL is not a valid URL: '" + baseText.get() + "'");
            }
        }
        String logLevel = value(env, "LOG_LEVEL").map(s -> s.toLowerCase(Locale.ROOT)).orElse("info");
        if (!LOG_LEVELS.contains(logLevel)) {
            problems.add("LOG_LEVEL must be one of trace, debug, info, warn, error, off, got '" + logLevel + "'");
        }
        TrustedProxies trustedProxies = trustedProxies(env, problems);
        Duration shutdownDrain = Duration.ofSeconds(wholeNumber(env, "SHUTDOWN_DRAIN_SECONDS", "seconds", 0,
                MAX_DRAIN_SECONDS, "0 = stop at once", databaseText.isPresent() ? (int) DEFAULT_DRAIN.toSeconds() : 0,
                problems));
        Optional<DatabaseUrl> databaseListenUrl = Optional.empty();
        Optional<String> listenText = value(env, "DATABASE_LISTEN_URL");
        if (listenText.isPresent()) {
            if (databaseText.isEmpty()) {
                problems.add("DATABASE_LISTEN_URL needs DATABASE_URL: the embedded database is listened to directly");
            }
            try {
                databaseListenUrl = Optional.of(DatabaseUrl.parse(listenText.get()));
            } catch (IllegalArgumentException e) {
                problems.add("DATABASE_LISTEN_URL " + e.getMessage());
            }
        }
        Metrics metrics = metrics(env, port, problems);
        Duration retention = Duration.ofDays(wholeNumber(env, "RETENTION_DAYS", "days", 1, MAX_RETENTION_DAYS, "",
                DEFAULT_RETENTION_DAYS, problems));
        Optional<Duration> auditRetention = auditRetention(env, problems);
        Optional<Path> auditArchiveDir = Optional.empty();
        Optional<String> archiveText = value(env, "AUDIT_ARCHIVE_DIR");
        if (archiveText.isPresent()) {
            try {
                auditArchiveDir = Optional.of(Path.of(archiveText.get()));
            } catch (RuntimeException e) {
                problems.add("AUDIT_ARCHIVE_DIR is not a valid path: '" + archiveText.get() + "'");
            }
        }
        int apiKeyCacheSize = wholeNumber(env, "API_KEY_CACHE_SIZE", "keys", 0, MAX_API_KEY_CACHE_SIZE,
                "0 = look every key up on every request", DEFAULT_API_KEY_CACHE_SIZE, problems);
        int databasePoolSize = wholeNumber(env, "DATABASE_POOL_SIZE", "connections", MIN_DATABASE_POOL_SIZE,
                MAX_DATABASE_POOL_SIZE, "", DEFAULT_DATABASE_POOL_SIZE, problems);
        Optional<Mail> mail = mail(env, problems);
        InstanceAdmins admins = admins(env, problems);
        // development only: webhooks to plain http and to loopback or private addresses (a receiver on this machine)
        boolean webhooksAllowPrivate = false;
        Optional<String> allowPrivate = value(env, "WEBHOOKS_ALLOW_PRIVATE");
        if (allowPrivate.isPresent()) {
            switch (allowPrivate.get().toLowerCase(Locale.ROOT)) {
                case "true" -> webhooksAllowPrivate = true;
                case "false" -> webhooksAllowPrivate = false;
                default -> problems.add("WEBHOOKS_ALLOW_PRIVATE must be true or false, got '" + allowPrivate.get() + "'");
            }
        }
        Duration webhookRetention = Duration.ofDays(wholeNumber(env, "WEBHOOK_RETENTION_DAYS", "days", 1,
                MAX_RETENTION_DAYS, "", DEFAULT_WEBHOOK_RETENTION_DAYS, problems));
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
        return new Config(host, port, dataDir, databaseUrl, baseUrl, logLevel, trustedProxies, shutdownDrain,
                databaseListenUrl, metrics, retention, auditRetention, auditArchiveDir, apiKeyCacheSize,
                databasePoolSize, mail, admins, webhooksAllowPrivate, webhookRetention);
    }

    /** ADMIN_EMAILS: comma-separated addresses of the instance's administrators (the dashboard's secret-key page). */
    private static InstanceAdmins admins(Map<String, String> env, List<String> problems) {
        Optional<String> list = value(env, "ADMIN_EMAILS");
        if (list.isEmpty()) return InstanceAdmins.none();
        Set<Email> emails = new HashSet<>();
        for (String item : list.get().split(",", -1)) {
            try {
                emails.add(Email.parse(item));
            } catch (InvalidInputException e) {
                problems.add("ADMIN_EMAILS must be a comma-separated list of email addresses, got '" + item.strip() + "'");
            }
        }
        return new InstanceAdmins(emails);
    }

    /** SMTP_URL (smtp:// with STARTTLS or smtps://) with MAIL_FROM (required with it, meaningless without it). */
    private static Optional<Mail> mail(Map<String, String> env, List<String> problems) {
        Optional<String> urlText = value(env, "SMTP_URL");
        Optional<String> fromText = value(env, "MAIL_FROM");
        if (urlText.isEmpty()) {
            if (fromText.isPresent()) problems.add("MAIL_FROM needs SMTP_URL: without it mail is only written to the log");
            return Optional.empty();
        }
        Optional<SmtpUrl> url = Optional.empty();
        try {
            url = Optional.of(SmtpUrl.parse(urlText.get()));
        } catch (IllegalArgumentException e) {
            problems.add("SMTP_URL " + e.getMessage()); // the message never holds the password
        }
        Optional<InternetAddress> from = Optional.empty();
        if (fromText.isEmpty()) {
            problems.add("MAIL_FROM is required with SMTP_URL: the sender of orgkeys' mail, such as "
                    + "orgkeys <keys@example.com>");
        } else {
            try {
                from = Optional.of(SmtpMailer.parseFrom(fromText.get()));
            } catch (IllegalArgumentException e) {
                problems.add("MAIL_FROM " + e.getMessage());
            }
        }
        if (url.isEmpty() || from.isEmpty()) return Optional.empty();
        return Optional.of(new Mail(url.get(), from.get()));
    }

    /** AUDIT_RETENTION_DAYS: 0–3650, default 365; empty (kept for ever) for 0. */
    private static Optional<Duration> auditRetention(Map<String, String> env, List<String> problems) {
        int days = wholeNumber(env, "AUDIT_RETENTION_DAYS", "days", 0, MAX_RETENTION_DAYS,
                "0 = keep audit events for ever", DEFAULT_AUDIT_RETENTION_DAYS, problems);
        return days == 0 ? Optional.empty() : Optional.of(Duration.ofDays(days));
    }

    /**
     * A whole number min–max of {@code unit}, {@code fallback} when unset; otherwise one problem, "NAME must be a
     * whole number of UNIT MIN–MAX (NOTE), got '…'", and {@code fallback}.
     */
    private static int wholeNumber(Map<String, String> env, String name, String unit, int min, int max, String note,
                                   int fallback, List<String> problems) {
        Optional<String> text = value(env, name);
        if (text.isEmpty()) return fallback;
        try {
            int number = Integer.parseInt(text.get());
            if (number >= min && number <= max) return number;
        } catch (NumberFormatException e) {
            // reported below, as for a number out of range
        }
        problems.add(name + " must be a whole number of " + unit + " " + min + "–" + max
                + (note.isEmpty() ? "" : " (" + note + ")") + ", got '" + text.get() + "'");
        return fallback;
    }

    /** METRICS_TOKEN (≥ 16 visible ASCII characters), METRICS_PORT (0–65535, not PORT), METRICS_HOST (default loopback: the listener has no credentials). */
    private static Metrics metrics(Map<String, String> env, int port, List<String> problems) {
        Optional<String> token = value(env, "METRICS_TOKEN");
        if (token.isPresent() && (token.get().length() < Metrics.MIN_TOKEN_LENGTH
                || !token.get().chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            problems.add("METRICS_TOKEN must be at least " + Metrics.MIN_TOKEN_LENGTH
                    + " visible ASCII characters without spaces (e.g. openssl rand -hex 32)");
        }
        Optional<Integer> metricsPort = Optional.empty();
        Optional<String> portText = value(env, "METRICS_PORT");
        if (portText.isPresent()) {
            try {
                int value = Integer.parseInt(portText.get());
                if (value < 0 || value > 65535) {
                    problems.add("METRICS_PORT must be 0–65535 (0 = any free port), got " + value);
                } else if (value != 0 && value == port) {
                    problems.add("METRICS_PORT must differ from PORT (" + port + "): it is the port off the public one");
                } else {
                    metricsPort = Optional.of(value);
                }
            } catch (NumberFormatException e) {
                problems.add("METRICS_PORT must be a number 0–65535 (0 = any free port), got '" + portText.get() + "'");
            }
        }
        return new Metrics(token, metricsPort, value(env, "METRICS_HOST").orElse("127.0.0.1"));
    }

    /**
     * TRUSTED_PROXIES: the reverse proxies (addresses, CIDR ranges) whose forwarding header names the client;
     * TRUSTED_PROXY_HEADER: which header they set, X-Forwarded-For (the default) or Forwarded.
     */
    private static TrustedProxies trustedProxies(Map<String, String> env, List<String> problems) {
        TrustedProxies.Header header = TrustedProxies.Header.X_FORWARDED_FOR;
        Optional<String> headerText = value(env, "TRUSTED_PROXY_HEADER");
        if (headerText.isPresent()) {
            Optional<TrustedProxies.Header> named = java.util.Arrays.stream(TrustedProxies.Header.values())
                    .filter(h -> h.fieldName().equalsIgnoreCase(headerText.get())).findFirst();
            if (named.isEmpty()) {
                problems.add("TRUSTED_PROXY_HEADER must be X-Forwarded-For or Forwarded, got '" + headerText.get() + "'");
            } else {
                header = named.get();
            }
        }
        Optional<String> list = value(env, "TRUSTED_PROXIES");
        if (list.isEmpty()) return TrustedProxies.none();
        try {
            return TrustedProxies.parse(list.get(), header);
        } catch (IllegalArgumentException e) {
            problems.add("TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges such as "
                    + "10.0.0.0/8, ::1: " + e.getMessage());
            return TrustedProxies.none();
        }
    }

    /** The public origin: BASE_URL, or where this server listens when unset. */
    public URI publicOrigin(int actualPort) {
        return baseUrl.orElseGet(() -> URI.create("http://localhost:" + actualPort));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(s -> !s.isEmpty());
    }
}
