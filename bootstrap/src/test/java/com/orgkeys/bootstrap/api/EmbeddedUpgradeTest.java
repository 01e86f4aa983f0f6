package com.orgkeys.bootstrap.api;

import com.orgkeys.bootstrap.Main;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.PreviousRelease;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A DATA_DIR made by the previous release (PostgreSQL 14) is upgraded to 18 at start, and everything in it works;
 * an upgrade that fails leaves it as it was, so that the next start, once the cause is gone, upgrades it.
 */
class EmbeddedUpgradeTest {
    /** Two users with one email, under an index of the right name that no longer enforces it. */
    static final String BREAK = "DROP INDEX users_email_key; CREATE INDEX users_email_key ON users (lower(email));"
            + " INSERT INTO users VALUES (gen_random_uuid(), 'twice@example.com', 'a', 'x', now()),"
            + " (gen_random_uuid(), 'twice@example.com', 'b', 'x', now())";
    static final String REPAIR = "DELETE FROM users WHERE email = 'twice@example.com'; DROP INDEX users_email_key;"
            + " CREATE UNIQUE INDEX users_email_key ON users (lower(email))";

    @Test
    void a_data_dir_of_the_previous_release_is_upgraded_with_every_row_key_and_session_after_a_failed_try(
            @TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        String session;
        String activeKey;
        String revokedKey;
        String agentId;
        Map<String, String> before;
        // the previous release: its embedded PostgreSQL 14, filled by orgkeys through its URL (an external 14)
        try (PreviousRelease previous = PreviousRelease.start(dataDir)) {
            assertEquals("14", pgVersion(dataDir));
            try (TestServer server = TestServer.startOn(previous.url(), Map.of())) {
                Api admin = server.signUp("admin@example.com");
                assertEquals(201, admin.post("/api/organizations", body("name", "Upgraded Inc")).status());
                server.signUp("other@example.com").post("/api/organizations", body("name", "Other Org"));
                activeKey = admin.post("/api/api-keys", body("name", "active")).text("secret");
                var revoked = admin.post("/api/api-keys", body("name", "revoked"));
                revokedKey = revoked.text("secret");
                assertEquals(200, admin.post("/api/api-keys/" + revoked.text("id") + "/revoke",
                        body("revocationReason", "rotated")).status());
                var agent = admin.post("/api/agents", body("name", "Support bot", "description", "answers tickets",
                        "model", "gpt-4o"));
                assertEquals(201, agent.status(), agent.toString());
                agentId = agent.text("id");
                session = admin.sessionCookie().orElseThrow();
            }
            execute(previous.url(), BREAK);
        }

        // the copy into the new cluster fails midway (the new cluster's unique index refuses the second user)
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()).redirectOutput(dir.resolve("out").toFile());
        builder.environment().putAll(Map.of("PORT", "0", "HOST", "127.0.0.1", "DATA_DIR", dataDir.toString()));
        Process main = builder.start();
        String errors = new String(main.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(main.waitFor(120, TimeUnit.SECONDS), "Main exits");
        String out = Files.readString(dir.resolve("out"));
        assertEquals(2, main.exitValue(), errors + out);
        List<String> lines = errors.lines().filter(line -> !line.isBlank()).toList();
        assertEquals(1, lines.size(), errors);
        assertTrue(lines.getFirst().startsWith("orgkeys: the PostgreSQL 14 cluster in " + dataDir.resolve("postgres")
                + " could not be upgraded to PostgreSQL 18: "), errors);
        assertTrue(lines.getFirst().contains("users_email_key") && lines.getFirst().contains("It is left as it was"),
                errors);
        assertTrue(out.contains("Upgrade: copied"), "progress was logged, and the copy had begun: " + out);
        assertEquals("14", pgVersion(dataDir));
        assertFalse(Files.exists(dataDir.resolve("postgres.upgrade-new")), "the half-made cluster is gone");
        assertFalse(Files.exists(dataDir.resolve("postgres.upgrade-backup")));

        // the old cluster is as it was: the previous release runs on it, with its rows
        try (PreviousRelease previous = PreviousRelease.start(dataDir)) {
            try (Connection connection = TestPostgres.connect(previous.url());
                 ResultSet rows = connection.createStatement().executeQuery(
                         "SELECT count(*) FROM users WHERE email = 'twice@example.com'")) {
                rows.next();
                assertEquals(2, rows.getInt(1));
            }
            execute(previous.url(), REPAIR);
            before = contents(previous.url());
        }

        try (TestServer upgraded = TestServer.startEmbedded(dataDir)) {
            assertEquals("18", pgVersion(dataDir));
            DatabaseUrl url = embeddedUrl(dataDir);
            assertEquals(before, contents(url), "every row of every table");
            assertTrue(before.get("api_keys").startsWith("2:"), before.toString());
            try (Connection connection = TestPostgres.connect(url);
                 ResultSet rows = connection.createStatement().executeQuery("SHOW server_version_num")) {
                rows.next();
                assertEquals(PreviousRelease.embeddedMajor(), rows.getInt(1) / 10_000);
            }

            Api admin = upgraded.anonymous().withSessionCookie(session);
            assertEquals("admin@example.com", admin.get("/api/me").body().get("user").get("email").asText());
            assertEquals(200, upgraded.anonymous().withBearer(activeKey).get("/api/whoami").status());
            assertEquals(401, upgraded.anonymous().withBearer(revokedKey).get("/api/whoami").status());
            assertEquals(200, upgraded.anonymous().withBearer(activeKey).get("/api/agents/" + agentId).status());
            // and it writes: the audit log's identity goes on from where the old one was
            assertEquals(201, admin.post("/api/api-keys", body("name", "after the upgrade")).status());
        }
        assertFalse(Files.exists(dataDir.resolve("postgres.upgrade-backup")), "the backup goes once the new one ran");
        assertFalse(Files.exists(dataDir.resolve("postgres.upgrade-new")));
        try (Stream<Path> unpacked = Files.list(dataDir.resolve("postgres-binaries"))) {
            assertEquals(1, unpacked.count(), "only the programs in use are left");
        }
    }

    static void execute(DatabaseUrl url, String sql) throws Exception {
        try (Connection connection = TestPostgres.connect(url)) {
            connection.createStatement().execute(sql);
        }
    }

    static String pgVersion(Path dataDir) throws Exception {
        return Files.readString(dataDir.resolve("postgres/PG_VERSION")).strip();
    }

    /** The running embedded server of {@code dataDir}: its port is line 4 of postmaster.pid. */
    static DatabaseUrl embeddedUrl(Path dataDir) throws Exception {
        String port = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).strip();
        return new DatabaseUrl("jdbc:postgresql://localhost:" + port + "/postgres", Optional.of("postgres"),
                Optional.of(Files.readString(dataDir.resolve("postgres-password")).strip()));
    }

    /** Every table's row count and a digest of its rows. */
    static Map<String, String> contents(DatabaseUrl url) throws Exception {
        Map<String, String> contents = new TreeMap<>();
        try (Connection connection = TestPostgres.connect(url)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = connection.createStatement().executeQuery("SELECT table_name FROM "
                    + "information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
                while (rows.next()) tables.add(rows.getString(1));
            }
            for (String table : tables) {
                // outbox messages: the started server's worker may send the sign-up mails still due, so only what
                // each one is counts, not whether it went out yet
                String rowsOf = table.equals("outbox_messages")
                        ? "(SELECT id, kind, created_at FROM outbox_messages)" : "\"" + table + "\"";
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT count(*) || ':' || "
                        + "coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM " + rowsOf + " t")) {
                    rows.next();
                    contents.put(table, rows.getString(1));
                }
            }
        }
        return contents;
    }
}
