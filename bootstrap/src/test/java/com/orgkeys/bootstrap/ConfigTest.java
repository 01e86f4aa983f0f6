package com.orgkeys.bootstrap;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    @Test
    void defaults_need_no_environment() {
        Config config = Config.fromEnvironment(Map.of());
        assertEquals(8080, config.port());
        assertEquals(Path.of("data"), config.dataDir());
        assertTrue(config.databaseUrl().isEmpty());
        assertEquals("info", config.logLevel());
        assertEquals("http://localhost:8080", config.publicOrigin(8080).toString());
    }

    @Test
    void webhooks_to_private_addresses_are_refused_unless_webhooks_allow_private_is_true() {
        assertEquals(false, Config.fromEnvironment(Map.of()).webhooksAllowPrivate());
        assertEquals(true, Config.fromEnvironment(Map.of("WEBHOOKS_ALLOW_PRIVATE", "TRUE")).webhooksAllowPrivate());
        assertEquals(false, Config.fromEnvironment(Map.of("WEBHOOKS_ALLOW_PRIVATE", "false")).webhooksAllowPrivate());
        var failure = assertThrows(Config.InvalidConfigException.class,
                () -> Config.fromEnvironment(Map.of("WEBHOOKS_ALLOW_PRIVATE", "yes")));
        assertEquals(java.util.List.of("WEBHOOKS_ALLOW_PRIVATE must be true or false, got 'yes'"), failure.problems());
    }

    @Test
    void webhook_history_is_kept_30_days_unless_webhook_retention_days_says_otherwise() {
        assertEquals(java.time.Duration.ofDays(30), Config.fromEnvironment(Map.of()).webhookRetention());
        assertEquals(java.time.Duration.ofDays(7),
                Config.fromEnvironment(Map.of("WEBHOOK_RETENTION_DAYS", "7")).webhookRetention());
        var failure = assertThrows(Config.InvalidConfigException.class,
                () -> Config.fromEnvironment(Map.of("WEBHOOK_RETENTION_DAYS", "0")));
        assertTrue(failure.problems().getFirst().startsWith("WEBHOOK_RETENTION_DAYS"), failure.getMessage());
    }

    @Test
    void every_problem_is_reported_on_its_own_line() {
        var failure = assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnvironment(Map.of(
                "PORT", "abc", "DATABASE_URL", "mysql://db", "BASE_URL", "https://x.example/app", "LOG_LEVEL", "loud")));
        assertEquals(4, failure.problems().size(), failure.getMessage());
        assertTrue(failure.problems().getFirst().startsWith("PORT"));
    }

    @Test
    void the_drain_is_5_s_with_an_external_database_none_with_the_embedded_one_and_can_be_set() {
        assertEquals(Duration.ZERO, Config.fromEnvironment(Map.of()).shutdownDrain());
        assertEquals(Duration.ofSeconds(5), Config.fromEnvironment(Map.of("DATABASE_URL", "postgresql://db/keys")).shutdownDrain());
        assertEquals(Duration.ofSeconds(12), Config.fromEnvironment(Map.of("SHUTDOWN_DRAIN_SECONDS", "12")).shutdownDrain());
        assertEquals(Duration.ZERO, Config.fromEnvironment(Map.of("DATABASE_URL", "postgresql://db/keys",
                "SHUTDOWN_DRAIN_SECONDS", "0")).shutdownDrain());
        for (String bad : new String[] {"-1", "601", "5s", "1.5"}) {
            var failure = assertThrows(Config.InvalidConfigException.class,
                    () -> Config.fromEnvironment(Map.of("SHUTDOWN_DRAIN_SECONDS", bad)), bad);
            assertEquals(java.util.List.of("SHUTDOWN_DRAIN_SECONDS must be a whole number of seconds 0–600 (0 = stop at once), got '"
                    + bad + "'"), failure.problems());
        }
    }

    @Test
    void the_revocation_feed_listens_on_database_listen_url_when_set_else_on_database_url() {
        assertTrue(Config.fromEnvironment(Map.of("DATABASE_URL", "postgresql://pgbouncer:6432/keys"))
                .databaseListenUrl().isEmpty());
        var config = Config.fromEnvironment(Map.of("DATABASE_URL", "postgresql://pgbouncer:6432/keys",
                "DATABASE_LISTEN_URL", "postgresql://app:pw@db.internal:5432/keys"));
        assertEquals("jdbc:postgresql://db.internal:5432/keys", config.databaseListenUrl().orElseThrow().jdbcUrl());
        var alone = assertThrows(Config.InvalidConfigException.class,
                () -> Config.fromEnvironment(Map.of("DATABASE_LISTEN_URL", "postgresql://db/keys")));
        assertTrue(alone.problems().getFirst().startsWith("DATABASE_LISTEN_URL needs DATABASE_URL"), alone.getMessage());
        var bad = assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnvironment(Map.of(
                "DATABASE_URL", "postgresql://db/keys", "DATABASE_LISTEN_URL", "mysql://db")));
        assertTrue(bad.problems().getFirst().startsWith("DATABASE_LISTEN_URL "), bad.getMessage());
    }

    @Test
    void metrics_are_nowhere_by_default_and_their_token_and_port_are_checked() {
        Config.Metrics none = Config.fromEnvironment(Map.of("HOST", "10.1.2.3")).metrics();
        assertTrue(none.token().isEmpty() && none.port().isEmpty());
        assertEquals("127.0.0.1", none.host(), "the listener without credentials is on loopback unless told otherwise");
        Config.Metrics both = Config.fromEnvironment(Map.of("METRICS_TOKEN", "0123456789abcdef", "METRICS_PORT", "9464",
                "METRICS_HOST", "10.1.2.4")).metrics();
        assertEquals("0123456789abcdef", both.token().orElseThrow());
        assertEquals(9464, both.port().orElseThrow());
        assertEquals("10.1.2.4", both.host());
        var failure = assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnvironment(Map.of(
                "METRICS_TOKEN", "short", "PORT", "9000", "METRICS_PORT", "9000")));
        assertEquals(2, failure.problems().size(), failure.getMessage());
        assertTrue(failure.problems().get(0).startsWith("METRICS_TOKEN"), failure.getMessage());
        assertTrue(failure.problems().get(1).startsWith("METRICS_PORT must differ from PORT"), failure.getMessage());
        assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnvironment(Map.of("METRICS_TOKEN", "has a space in it!!")));
    }

    @Test
    void port_out_of_range_is_refused() {
        assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnvironment(Map.of("PORT", "70000")));
    }

    @Test
    void both_database_url_forms_are_accepted() {
        var libpq = Config.fromEnvironment(Map.of("DATABASE_URL", "postgresql://app:s%40cret@db.internal:6543/keys?sslmode=require"))
                .databaseUrl().orElseThrow();
        assertEquals("jdbc:postgresql://db.internal:6543/keys?sslmode=require", libpq.jdbcUrl());
        assertEquals("app", libpq.user().orElseThrow());
        assertEquals("s@cret", libpq.password().orElseThrow());
        var jdbc = Config.fromEnvironment(Map.of("DATABASE_URL", "jdbc:postgresql://localhost/keys?user=a&password=b"))
                .databaseUrl().orElseThrow();
        assertEquals("jdbc:postgresql://localhost/keys?user=a&password=b", jdbc.jdbcUrl());
        assertEquals("jdbc:postgresql://localhost/keys?user=a&password=***", jdbc.redacted());
    }

    @Test
    void base_url_sets_the_public_origin() {
        Config config = Config.fromEnvironment(Map.of("BASE_URL", "https://keys.example.com/"));
        assertEquals("https://keys.example.com", config.publicOrigin(1234).toString());
    }

    @Test
    void trusted_proxies_default_to_none_and_accept_both_families() {
        assertTrue(Config.fromEnvironment(Map.of()).trustedProxies().isEmpty());
        Config config = Config.fromEnvironment(Map.of("TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32,127.0.0.1",
                "TRUSTED_PROXY_HEADER", "forwarded"));
        assertTrue(config.trustedProxies().trusts(java.net.InetAddress.getLoopbackAddress()));
        assertEquals(com.orgkeys.http.server.TrustedProxies.Header.FORWARDED, config.trustedProxies().header());
    }

    @Test
    void admin_emails_are_none_by_default_and_each_entry_is_checked() {
        assertTrue(Config.fromEnvironment(Map.of()).admins().emails().isEmpty());
        var admins = Config.fromEnvironment(Map.of("ADMIN_EMAILS", " Ops@Example.com ,root@example.org")).admins();
        assertEquals(java.util.Set.of(new com.orgkeys.domain.account.Email("ops@example.com"),
                new com.orgkeys.domain.account.Email("root@example.org")), admins.emails());
        var failure = assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnvironment(Map.of(
                "ADMIN_EMAILS", "ops@example.com, ceo<attacker@evil.example>,")));
        assertEquals(2, failure.problems().size(), failure.getMessage());
        assertTrue(failure.problems().getFirst().contains("'ceo<attacker@evil.example>'"), failure.getMessage());
    }

    @Test
    void a_malformed_trusted_proxy_list_is_one_line_naming_the_entry() {
        var failure = assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnvironment(Map.of(
                "TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal", "TRUSTED_PROXY_HEADER", "X-Real-IP")));
        assertEquals(2, failure.problems().size(), failure.getMessage());
        assertTrue(failure.problems().stream().anyMatch(p -> p.startsWith("TRUSTED_PROXIES") && p.contains("'proxy.internal'")
                && !p.contains("\n")), failure.getMessage());
        assertTrue(failure.problems().stream().anyMatch(p -> p.startsWith("TRUSTED_PROXY_HEADER")), failure.getMessage());
    }

    @Test
    void retention_is_30_days_unless_set_to_1_to_3650() {
        assertEquals(Duration.ofDays(30), Config.fromEnvironment(Map.of()).retention());
        assertEquals(Duration.ofDays(1), Config.fromEnvironment(Map.of("RETENTION_DAYS", "1")).retention());
        assertEquals(Duration.ofDays(3650), Config.fromEnvironment(Map.of("RETENTION_DAYS", " 3650 ")).retention());
        for (String bad : new String[] {"0", "-1", "3651", "30d", "1.5"}) {
            var failure = assertThrows(Config.InvalidConfigException.class,
                    () -> Config.fromEnvironment(Map.of("RETENTION_DAYS", bad)), bad);
            assertEquals(java.util.List.of("RETENTION_DAYS must be a whole number of days 1–3650, got '" + bad + "'"),
                    failure.problems());
        }
    }

    @Test
    void audit_events_are_kept_365_days_unless_set_to_0_for_ever_or_to_1_to_3650() {
        assertEquals(Optional.of(Duration.ofDays(365)), Config.fromEnvironment(Map.of()).auditRetention());
        assertEquals(Optional.empty(), Config.fromEnvironment(Map.of("AUDIT_RETENTION_DAYS", "0")).auditRetention());
        assertEquals(Optional.of(Duration.ofDays(3650)),
                Config.fromEnvironment(Map.of("AUDIT_RETENTION_DAYS", " 3650 ")).auditRetention());
        for (String bad : new String[] {"-1", "3651", "365d", "1.5", "forever"}) {
            var failure = assertThrows(Config.InvalidConfigException.class,
                    () -> Config.fromEnvironment(Map.of("AUDIT_RETENTION_DAYS", bad)), bad);
            assertEquals(java.util.List.of("AUDIT_RETENTION_DAYS must be a whole number of days 0–3650 (0 = keep audit "
                    + "events for ever), got '" + bad + "'"), failure.problems());
        }
    }

    @Test
    void the_audit_archive_directory_is_optional() {
        assertEquals(Optional.empty(), Config.fromEnvironment(Map.of()).auditArchiveDir());
        assertEquals(Optional.of(Path.of("/var/lib/orgkeys/audit")),
                Config.fromEnvironment(Map.of("AUDIT_ARCHIVE_DIR", "/var/lib/orgkeys/audit")).auditArchiveDir());
        var failure = assertThrows(Config.InvalidConfigException.class,
                () -> Config.fromEnvironment(Map.of("AUDIT_ARCHIVE_DIR", "a\u0000b")));
        assertEquals(java.util.List.of("AUDIT_ARCHIVE_DIR is not a valid path: 'a\u0000b'"), failure.problems());
    }

    @Test
    void the_api_key_cache_holds_a_million_keys_unless_set_to_0_to_20_million() {
        assertEquals(1_000_000, Config.fromEnvironment(Map.of()).apiKeyCacheSize());
        assertEquals(0, Config.fromEnvironment(Map.of("API_KEY_CACHE_SIZE", "0")).apiKeyCacheSize());
        assertEquals(20_000_000, Config.fromEnvironment(Map.of("API_KEY_CACHE_SIZE", " 20000000 ")).apiKeyCacheSize());
        for (String bad : new String[] {"-1", "20000001", "1e6", "1,000", "lots"}) {
            var failure = assertThrows(Config.InvalidConfigException.class,
                    () -> Config.fromEnvironment(Map.of("API_KEY_CACHE_SIZE", bad)), bad);
            assertEquals(java.util.List.of("API_KEY_CACHE_SIZE must be a whole number of keys 0–20000000 (0 = look every "
                    + "key up on every request), got '" + bad + "'"), failure.problems());
        }
    }

    @Test
    void each_process_keeps_20_database_connections_unless_set_to_2_to_500() {
        assertEquals(20, Config.fromEnvironment(Map.of()).databasePoolSize());
        assertEquals(2, Config.fromEnvironment(Map.of("DATABASE_POOL_SIZE", "2")).databasePoolSize());
        assertEquals(500, Config.fromEnvironment(Map.of("DATABASE_POOL_SIZE", " 500 ")).databasePoolSize());
        for (String bad : new String[] {"1", "501", "0", "ten", "2.5"}) {
            var failure = assertThrows(Config.InvalidConfigException.class,
                    () -> Config.fromEnvironment(Map.of("DATABASE_POOL_SIZE", bad)), bad);
            assertEquals(java.util.List.of("DATABASE_POOL_SIZE must be a whole number of connections 2–500, got '" + bad
                    + "'"), failure.problems());
        }
    }

    @Test
    void mail_is_only_logged_without_smtp_url() {
        assertTrue(Config.fromEnvironment(Map.of()).mail().isEmpty());
        var alone = assertThrows(Config.InvalidConfigException.class,
                () -> Config.fromEnvironment(Map.of("MAIL_FROM", "keys@example.com")));
        assertEquals(java.util.List.of("MAIL_FROM needs SMTP_URL: without it mail is only written to the log"),
                alone.problems());
    }

    @Test
    void smtp_url_is_starttls_or_implicit_tls_and_needs_mail_from() {
        Config.Mail starttls = Config.fromEnvironment(Map.of("SMTP_URL", "smtp://apikey:s%40cret@smtp.example.com",
                "MAIL_FROM", "orgkeys <keys@example.com>")).mail().orElseThrow();
        assertEquals(false, starttls.smtpUrl().implicitTls());
        assertEquals(587, starttls.smtpUrl().port());
        assertEquals(Optional.of("s@cret"), starttls.smtpUrl().password());
        assertEquals("keys@example.com", starttls.from().getAddress());
        Config.Mail implicit = Config.fromEnvironment(Map.of("SMTP_URL", "smtps://smtp.example.com",
                "MAIL_FROM", "keys@example.com")).mail().orElseThrow();
        assertEquals(true, implicit.smtpUrl().implicitTls());
        assertEquals(465, implicit.smtpUrl().port());
    }

    @Test
    void a_bad_smtp_url_or_a_missing_mail_from_is_a_clear_problem_without_the_password() {
        var noFrom = assertThrows(Config.InvalidConfigException.class,
                () -> Config.fromEnvironment(Map.of("SMTP_URL", "smtp://user:hunter2-secret@smtp.example.com")));
        assertEquals(java.util.List.of("MAIL_FROM is required with SMTP_URL: the sender of orgkeys' mail, such as "
                + "orgkeys <keys@example.com>"), noFrom.problems());
        var both = assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnvironment(Map.of(
                "SMTP_URL", "imap://user:hunter2-secret@smtp.example.com", "MAIL_FROM", "not an address")));
        assertEquals(2, both.problems().size(), both.getMessage());
        assertTrue(both.problems().get(0).startsWith("SMTP_URL must start with smtp:// (STARTTLS, port 587) or "
                + "smtps:// (implicit TLS, port 465)"), both.getMessage());
        assertTrue(both.problems().get(1).startsWith("MAIL_FROM is not a mail address"), both.getMessage());
        assertTrue(!both.getMessage().contains("hunter2") && !noFrom.getMessage().contains("hunter2"));
        assertTrue(!Config.fromEnvironment(Map.of("SMTP_URL", "smtp://user:hunter2-secret@smtp.example.com",
                "MAIL_FROM", "keys@example.com")).toString().contains("hunter2"), "the configuration's text");
    }
}
