package com.orgkeys.persistence.retention;

import com.orgkeys.application.retention.port.in.PurgeEndedRecordsUseCase.Purged;
import com.orgkeys.application.retention.port.out.AuditArchive;
import com.orgkeys.application.retention.service.RetentionService;
import com.orgkeys.application.retention.service.RetentionService.AuditRetention;
import com.orgkeys.persistence.account.JdbcSessionRepository;
import com.orgkeys.persistence.audit.JdbcAuditLog;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.invitation.JdbcInvitationRepository;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audit retention on PostgreSQL: events past AUDIT_RETENTION_DAYS go in every organization, newer ones stay; with
 * AUDIT_ARCHIVE_DIR each deleted event is in the day's file exactly once, and an archive that cannot be written keeps
 * them all; two nodes never run a batch at once.
 */
class AuditRetentionOnPostgresTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration YEAR = Duration.ofDays(365);
    private static final String ACME = "00000000-0000-0000-0000-00000000000a";
    private static final String OTHER = "00000000-0000-0000-0000-00000000000b";

    private final DatabaseUrl url = TestPostgres.newDatabase();
    private final List<Database> databases = new ArrayList<>();
    private final Jdbc jdbc = node();

    @TempDir
    Path archiveDir;

    @AfterEach
    void close() {
        databases.forEach(Database::close);
    }

    /** A node: its own pool on the shared database. */
    private Jdbc node() {
        Database database = Database.connect(url, 4);
        databases.add(database);
        return new Jdbc(database.dataSource());
    }

    private RetentionService retention(Jdbc jdbc, Optional<AuditArchive> archive) {
        return new RetentionService(new JdbcSessionRepository(jdbc), new JdbcInvitationRepository(jdbc),
                new AdvisoryJobLock(jdbc, AdvisoryJobLock.RETENTION_KEY), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofDays(30), Optional.of(new AuditRetention(new JdbcAuditLog(jdbc), YEAR, archive)));
    }

    @Test
    void events_past_the_retention_go_in_every_organization_and_newer_ones_stay() throws SQLException {
        seed(1_500, 20);

        Purged purged = retention(jdbc, Optional.empty()).purge();

        assertEquals(new Purged(0, 0, 1_500, false, Optional.empty()), purged);
        assertEquals(Set.of(), ids("WHERE occurred_at < '" + NOW.minus(YEAR) + "'"));
        assertEquals(20, ids("").size());
        assertEquals(Set.of(ACME, OTHER), strings("SELECT DISTINCT organization_id::text FROM audit_events"));
    }

    @Test
    void with_an_archive_every_deleted_event_is_in_the_days_file_exactly_once() throws Exception {
        seed(2_500, 20);
        Set<String> old = ids("WHERE occurred_at < '" + NOW.minus(YEAR) + "'");
        JsonLinesAuditArchive archive = new JsonLinesAuditArchive(archiveDir);

        assertEquals(2_500, retention(jdbc, Optional.of(archive)).purge().auditEvents());

        Path file = archiveDir.resolve("audit-2026-12-02.jsonl");
        assertEquals(file, archive.fileFor(NOW));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> archived = archivedIds(lines);
        assertEquals(2_500, archived.size());
        assertEquals(old, new HashSet<>(archived), "each deleted event, and no other");
        assertEquals(Set.of(), ids("WHERE occurred_at < '" + NOW.minus(YEAR) + "'"));
        assertEquals(20, ids("").size());
        assertEquals(Set.of(ACME, OTHER), new HashSet<>(column(lines, "organizationId")));
    }

    @Test
    void an_archive_that_cannot_be_written_keeps_every_event() throws Exception {
        seed(1_500, 0);
        Path notADirectory = Files.writeString(archiveDir.resolve("plain-file"), "");
        JsonLinesAuditArchive archive = new JsonLinesAuditArchive(notADirectory);

        Purged purged = retention(jdbc, Optional.of(archive)).purge();

        assertEquals(0, purged.auditEvents());
        assertTrue(purged.archiveFailure().orElseThrow().contains("plain-file"), purged.toString());
        assertEquals(1_500, ids("").size());
    }

    @Test
    void a_second_node_skips_the_run_while_the_first_holds_the_lock() throws Exception {
        seed(10, 0);
        try (Connection otherNode = TestPostgres.connect(url)) {
            otherNode.setAutoCommit(false);
            try (var statement = otherNode.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                statement.setLong(1, AdvisoryJobLock.RETENTION_KEY);
                statement.execute();
            }
            assertEquals(new Purged(0, 0, 0, true, Optional.empty()),
                    retention(jdbc, Optional.of(new JsonLinesAuditArchive(archiveDir))).purge());
            assertEquals(10, ids("").size());
            otherNode.commit();
        }
        assertEquals(10, retention(jdbc, Optional.empty()).purge().auditEvents());
    }

    @Test
    void two_nodes_running_the_job_at_once_archive_each_event_once() throws Exception {
        seed(5_000, 0);
        Set<String> old = ids("");
        JsonLinesAuditArchive archive = new JsonLinesAuditArchive(archiveDir); // a directory both nodes share
        List<RetentionService> nodes = List.of(retention(jdbc, Optional.of(archive)), retention(node(), Optional.of(archive)));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Purged>> runs = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (RetentionService node : nodes) {
                Callable<Purged> run = () -> {
                    start.await();
                    return node.purge();
                };
                runs.add(threads.submit(run));
            }
            start.countDown();
            int deleted = 0;
            for (Future<Purged> run : runs) deleted += run.get().auditEvents();
            assertEquals(5_000, deleted);
        }

        List<String> archived = archivedIds(Files.readAllLines(archive.fileFor(NOW), StandardCharsets.UTF_8));
        assertEquals(5_000, archived.size(), "no event twice");
        assertEquals(old, new HashSet<>(archived));
        assertEquals(Set.of(), ids(""));
    }

    /** {@code old} events a year and more ago, {@code recent} ones within the year, alternating organizations. */
    private void seed(int old, int recent) throws SQLException {
        try (Connection connection = TestPostgres.connect(url); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO organizations VALUES ('" + ACME + "', 'Acme', 'acme', now())");
            sql.execute("INSERT INTO organizations VALUES ('" + OTHER + "', 'Other', 'other', now())");
            sql.execute("""
                    INSERT INTO audit_events (id, organization_id, actor, action, target, details, occurred_at)
                    SELECT gen_random_uuid(), CASE WHEN g %% 2 = 0 THEN '%s'::uuid ELSE '%s'::uuid END,
                           'user:00000000-0000-0000-0000-0000000000ff', 'member.added', 'x "quoted"', E'a\\nb',
                           CASE WHEN g <= %d THEN '%s'::timestamptz - make_interval(secs => g)
                                ELSE '%s'::timestamptz + make_interval(secs => g) END
                      FROM generate_series(1, %d) g""".formatted(ACME, OTHER, old, NOW.minus(YEAR),
                    NOW.minus(YEAR), old + recent));
        }
    }

    private Set<String> ids(String where) throws SQLException {
        return strings("SELECT id::text FROM audit_events " + where);
    }

    private Set<String> strings(String query) throws SQLException {
        Set<String> result = new HashSet<>();
        try (Connection connection = TestPostgres.connect(url); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) result.add(rows.getString(1));
        }
        return result;
    }

    private List<String> archivedIds(List<String> lines) throws SQLException {
        return column(lines, "id");
    }

    /** One field of every line, parsed by PostgreSQL's JSON parser (a line that is not JSON fails). */
    private List<String> column(List<String> lines, String field) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = TestPostgres.connect(url);
             PreparedStatement sql = connection.prepareStatement(
                     "SELECT line::jsonb ->> ? FROM unnest(?::text[]) WITH ORDINALITY AS l(line, n) ORDER BY n")) {
            sql.setString(1, field);
            sql.setArray(2, connection.createArrayOf("text", lines.toArray()));
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) values.add(rows.getString(1));
            }
        }
        return values;
    }
}
