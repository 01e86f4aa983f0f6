package com.orgkeys.persistence.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Brings a cluster made by an older embedded PostgreSQL up to the one this orgkeys runs, before it serves. zonky's
 * archives hold only initdb, pg_ctl and postgres (no pg_upgrade, no pg_dump), so this is a dump and restore done
 * here: the old cluster's server is started from the previous release's programs, read-only; a new cluster is made
 * beside it ({@value #NEXT}) with the schema of the same migration, and every table is copied over with
 * {@code COPY}, sequences included; the row counts must then match. Only then are the directories swapped, the old
 * one kept as {@value #BACKUP} until the new one has started and passed its checks.
 *
 * <p>Anything that fails before the swap leaves the old cluster as it was (it was only read) and says so in one
 * line. A swap cut short (the process killed between its two renames) is put back by the next start.
 */
final class ClusterUpgrade {
    private static final Logger log = LoggerFactory.getLogger(ClusterUpgrade.class);
    static final String NEXT = "postgres.upgrade-new";
    static final String BACKUP = "postgres.upgrade-backup";
    private static final String SUPERUSER = "postgres";
    /** A progress line at most this often while one large table is copied. */
    private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;

    private final Path dataDir;
    private final Path cluster;
    private final Path next;
    private final Path backup;
    private final Path binaries;
    private final PostgresBinaries programs;

    ClusterUpgrade(Path dataDir, PostgresBinaries programs) {
        this.dataDir = dataDir;
        this.cluster = dataDir.resolve("postgres");
        this.next = dataDir.resolve(NEXT);
        this.backup = dataDir.resolve(BACKUP);
        this.binaries = dataDir.resolve("postgres-binaries");
        this.programs = programs;
    }

    /** The major version of the cluster in {@code cluster}, from its PG_VERSION file; empty when there is none. */
    static OptionalInt majorVersionOf(Path cluster) throws IOException {
        String text;
        try {
            text = Files.readString(cluster.resolve("PG_VERSION"), StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        }
        if (!text.matches("\\d{1,3}")) { // 9.6 and older wrote "9.6": none of those was ever embedded here
            throw new DataDirectory.UnusableException(cluster.resolve("PG_VERSION") + " says '" + text
                    + "', which is no PostgreSQL version that orgkeys embeds or embedded");
        }
        return OptionalInt.of(Integer.parseInt(text));
    }

    /** What to do with a cluster of {@code found} when this orgkeys runs {@code embedded}. */
    enum Decision { START, UPGRADE, TOO_NEW, NO_PROGRAMS_TO_UPGRADE_IT }

    static Decision decide(int found, int embedded, int previous) {
        if (found == embedded) return Decision.START;
        if (found > embedded) return Decision.TOO_NEW;
        return found == previous ? Decision.UPGRADE : Decision.NO_PROGRAMS_TO_UPGRADE_IT;
    }

    /** Puts the old cluster back where a swap was cut short between its two renames (no cluster, a backup). */
    void restoreAfterAnInterruptedSwap() throws IOException {
        if (Files.exists(cluster) || !Files.isDirectory(backup)) return;
        log.warn("An upgrade of the embedded PostgreSQL was interrupted: {} is put back as {}, and upgraded again",
                backup, cluster);
        Files.move(backup, cluster, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Upgrades the cluster first when it is older than the programs that are to run it; refuses what cannot be. */
    void ifOlder(String password) throws IOException {
        OptionalInt found = majorVersionOf(cluster);
        if (found.isEmpty()) return; // made by initdb at this start
        int embedded = programs.release().major();
        int previous = PostgresBinaries.Release.PREVIOUS.major();
        switch (decide(found.getAsInt(), embedded, previous)) {
            case START -> { }
            case TOO_NEW -> throw new DataDirectory.UnusableException("the PostgreSQL cluster in " + cluster
                    + " is of PostgreSQL " + found.getAsInt() + ", newer than this orgkeys's " + embedded
                    + ": run the orgkeys release that made it, or a newer one");
            case NO_PROGRAMS_TO_UPGRADE_IT -> throw new DataDirectory.UnusableException("the PostgreSQL cluster in "
                    + cluster + " is of PostgreSQL " + found.getAsInt() + ": this orgkeys upgrades only clusters of "
                    + "PostgreSQL " + previous + " to " + embedded + " (docs/operations.md says how to move by hand)");
            case UPGRADE -> upgrade(found.getAsInt(), password);
        }
    }

    private void upgrade(int from, String password) throws IOException {
        int to = programs.release().major();
        if (Files.exists(backup)) {
            throw failed(from, to, backup + " is still there from an earlier upgrade: move it out of DATA_DIR first");
        }
        long started = System.nanoTime();
        log.info("Upgrading the embedded PostgreSQL in {} from {} to {}: its data is copied into a new cluster; the old "
                + "one is only read, and kept until the new one has started", cluster, from, to);
        try {
            if (Files.exists(next)) { // what an interrupted try left, perhaps with its server still running
                EmbeddedDatabase.stopOrphanedServer(next);
                PostgresBinaries.deleteTree(next);
            }
            copyIntoNewCluster(password);
        } catch (IOException | SQLException | RuntimeException e) {
            try {
                if (Files.exists(next)) PostgresBinaries.deleteTree(next);
            } catch (IOException | RuntimeException cleanup) {
                log.warn("Could not delete {} ({}): nothing uses it, delete it by hand", next, cleanup.toString());
            }
            throw failed(from, to, reason(e));
        }
        // the swap: from the first rename on, a start that finds no cluster puts the backup back
        Files.move(cluster, backup, StandardCopyOption.ATOMIC_MOVE);
        Files.move(next, cluster, StandardCopyOption.ATOMIC_MOVE);
        log.info("Upgraded the embedded PostgreSQL to {} in {} s; the old cluster is kept as {} until the new one has "
                + "started", to, (System.nanoTime() - started) / 1_000_000_000, backup);
    }

    /**
     * Once the upgraded cluster has started and passed the start's checks: the backup and old programs go. Best
     * effort: the server is up, and a backup that could not be deleted is only disk space.
     */
    void dropBackupOnceStarted() {
        if (!Files.exists(backup)) return;
        try {
            PostgresBinaries.deleteTree(backup);
            Path inUse = programs.unpacked();
            try (DirectoryStream<Path> unpacked = Files.newDirectoryStream(binaries, "PG-*")) {
                for (Path other : unpacked) {
                    if (!other.equals(inUse)) PostgresBinaries.deleteTree(other); // the previous release's programs
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not delete the old PostgreSQL cluster {} or its programs ({}): the upgraded cluster is in "
                    + "use, delete them by hand", backup, e.toString());
            return;
        }
        log.info("The upgraded PostgreSQL cluster started and passed its checks: deleted the old cluster ({})", backup);
    }

    private void copyIntoNewCluster(String password) throws IOException, SQLException {
        Path passwordFile = dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE);
        PostgresBinaries previous = PostgresBinaries.prepare(binaries, PostgresBinaries.Release.PREVIOUS);
        log.info("Upgrade: starting the old cluster, read-only, with PostgreSQL {}'s programs", previous.release().major());
        try (EmbeddedPostgres old = EmbeddedDatabase.server(previous, cluster, binaries, passwordFile, password)
                .setServerConfig("default_transaction_read_only", "on")
                .start();
             Connection source = connect(old.getPort(), password)) {
            source.setAutoCommit(false);
            source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // one snapshot for every table
            refuseOtherDatabases(source);
            Optional<String> schemaVersion = schemaVersion(source);
            List<String> locale = queryRow(source, "SELECT datcollate, datctype FROM pg_database WHERE datname = 'postgres'");
            log.info("Upgrade: making the new cluster with PostgreSQL {} (schema version {})",
                    programs.release().major(), schemaVersion.orElse("none"));
            try (EmbeddedPostgres target = EmbeddedDatabase.server(programs, next, binaries, passwordFile, password)
                    .setLocaleConfig("lc-collate", locale.get(0))
                    .setLocaleConfig("lc-ctype", locale.get(1))
                    .start();
                 Connection destination = connect(target.getPort(), password)) {
                EmbeddedDatabase.requirePasswordInForce(target.getPort(), java.time.Duration.ofSeconds(10));
                schemaVersion.ifPresent(version -> Flyway.configure()
                        .dataSource("jdbc:postgresql://localhost:" + target.getPort() + "/postgres", SUPERUSER, password)
                        .locations("classpath:db/migration")
                        .target(version)
                        .load()
                        .migrate());
                requireSameObjects(source, destination);
                copyTables(source, destination);
            }
            source.commit();
        }
        // a clean shutdown removes postmaster.pid: what is swapped in must be a cluster that was shut down cleanly
        if (Files.exists(next.resolve("postmaster.pid")) || Files.exists(cluster.resolve("postmaster.pid"))) {
            throw new IOException("a PostgreSQL server of the upgrade did not shut down cleanly");
        }
    }

    private static void refuseOtherDatabases(Connection source) throws SQLException {
        List<String> others = queryColumn(source,
                "SELECT datname FROM pg_database WHERE datname NOT IN ('postgres', 'template0', 'template1') ORDER BY 1");
        if (!others.isEmpty()) {
            throw new SQLException("it holds databases that orgkeys did not make (" + String.join(", ", others)
                    + "), which this upgrade would not carry over");
        }
    }

    /** The migration the old schema is at, when Flyway ever ran there. */
    private static Optional<String> schemaVersion(Connection source) throws SQLException {
        if (queryColumn(source, "SELECT to_regclass('public.flyway_schema_history')::text").getFirst() == null) {
            return Optional.empty();
        }
        List<String> version = queryColumn(source, "SELECT version FROM flyway_schema_history WHERE success "
                + "AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1");
        return version.isEmpty() ? Optional.empty() : Optional.of(version.getFirst());
    }

    /** Objects in the user's schemas by kind and name: what is not orgkeys's schema would be lost. */
    private static final String OBJECTS = """
            WITH user_schemas AS (
                SELECT oid, nspname FROM pg_namespace
                WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%')
            SELECT 'schema ' || nspname FROM user_schemas
            UNION ALL SELECT 'relation ' || c.relkind::text || ' ' || s.nspname || '.' || c.relname
                FROM pg_class c JOIN user_schemas s ON s.oid = c.relnamespace
            UNION ALL SELECT 'constraint ' || s.nspname || '.' || con.conname
                FROM pg_constraint con JOIN user_schemas s ON s.oid = con.connamespace
                WHERE con.contype <> 'n' -- PostgreSQL 18 lists NOT NULL as constraints of their own
            UNION ALL SELECT 'function ' || s.nspname || '.' || p.proname
                FROM pg_proc p JOIN user_schemas s ON s.oid = p.pronamespace
            UNION ALL SELECT 'trigger ' || t.tgname FROM pg_trigger t WHERE NOT t.tgisinternal
            UNION ALL SELECT 'extension ' || extname FROM pg_extension
            """;

    private static void requireSameObjects(Connection source, Connection destination) throws SQLException {
        TreeSet<String> old = new TreeSet<>(queryColumn(source, OBJECTS));
        TreeSet<String> made = new TreeSet<>(queryColumn(destination, OBJECTS));
        if (old.equals(made)) return;
        TreeSet<String> extra = new TreeSet<>(old);
        extra.removeAll(made);
        TreeSet<String> missing = new TreeSet<>(made);
        missing.removeAll(old);
        throw new SQLException("its schema differs from orgkeys's at the same migration (only in the old cluster: "
                + first(extra) + "; only in orgkeys's: " + first(missing) + ")");
    }

    private static String first(TreeSet<String> names) {
        if (names.isEmpty()) return "none";
        List<String> shown = names.stream().limit(5).toList();
        return String.join(", ", shown) + (names.size() > shown.size() ? ", …" : "");
    }

    /** Every table, in one transaction with foreign keys and triggers off while it loads (as pg_restore does). */
    private static void copyTables(Connection source, Connection destination) throws SQLException {
        List<String> tables = queryColumn(source, """
                SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1""");
        destination.setAutoCommit(false);
        try (Statement statement = destination.createStatement()) {
            statement.execute("SET LOCAL session_replication_role = replica");
        }
        var from = source.unwrap(PGConnection.class).getCopyAPI();
        var into = destination.unwrap(PGConnection.class).getCopyAPI();
        int done = 0;
        for (String table : tables) {
            String columns = queryColumn(source, "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) "
                    + "FROM pg_attribute WHERE attrelid = '" + table.replace("'", "''") + "'::regclass "
                    + "AND attnum > 0 AND NOT attisdropped AND attgenerated = ''").getFirst();
            try (Statement statement = destination.createStatement()) {
                statement.execute("DELETE FROM " + table); // what the migrations wrote (Flyway's own history)
            }
            long rows = copy(from.copyOut("COPY " + table + " (" + columns + ") TO STDOUT"),
                    into.copyIn("COPY " + table + " (" + columns + ") FROM STDIN"), table);
            log.info("Upgrade: copied {} ({} rows; table {} of {})", table, rows, ++done, tables.size());
        }
        for (List<String> sequence : queryRows(source, "SELECT format('%I.%I', schemaname, sequencename), "
                + "last_value::text FROM pg_sequences WHERE last_value IS NOT NULL")) {
            try (var setval = destination.prepareStatement("SELECT setval(?::regclass, ?::bigint)")) {
                setval.setString(1, sequence.get(0));
                setval.setString(2, sequence.get(1));
                setval.execute();
            }
        }
        for (String table : tables) {
            String count = "SELECT count(*)::text FROM " + table;
            String before = queryColumn(source, count).getFirst();
            String after = queryColumn(destination, count).getFirst();
            if (!before.equals(after)) {
                throw new SQLException(table + " has " + after + " rows in the new cluster, " + before + " in the old");
            }
        }
        destination.commit();
    }

    private static long copy(CopyOut out, CopyIn in, String table) throws SQLException {
        long lastSaid = System.nanoTime();
        long bytes = 0;
        try {
            byte[] chunk;
            while ((chunk = out.readFromCopy()) != null) {
                in.writeToCopy(chunk, 0, chunk.length);
                bytes += chunk.length;
                if (System.nanoTime() - lastSaid > PROGRESS_EVERY_NANOS) {
                    lastSaid = System.nanoTime();
                    log.info("Upgrade: copying {}: {} MB so far", table, bytes >> 20);
                }
            }
            return in.endCopy();
        } finally {
            if (in.isActive()) in.cancelCopy();
            if (out.isActive()) out.cancelCopy();
        }
    }

    private static Connection connect(int port, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", "orgkeys upgrade");
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", properties);
    }

    private static List<String> queryColumn(Connection connection, String sql) throws SQLException {
        return queryRows(connection, sql).stream().map(List::getFirst).toList();
    }

    private static List<String> queryRow(Connection connection, String sql) throws SQLException {
        List<List<String>> rows = queryRows(connection, sql);
        if (rows.size() != 1) throw new SQLException("expected one row of: " + sql);
        return rows.getFirst();
    }

    private static List<List<String>> queryRows(Connection connection, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) row.add(result.getString(i));
                rows.add(java.util.Collections.unmodifiableList(row)); // may hold nulls: no List.copyOf
            }
        }
        return rows;
    }

    private DataDirectory.UnusableException failed(int from, int to, String reason) {
        return new DataDirectory.UnusableException("the PostgreSQL " + from + " cluster in " + cluster
                + " could not be upgraded to PostgreSQL " + to + ": " + reason + ". It is left as it was (the "
                + "previous orgkeys release still runs on it); see docs/operations.md");
    }

    /** The failure in one line: the innermost message that says something, without PostgreSQL's detail lines. */
    private static String reason(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
            if (t instanceof SQLException) break; // the server's own words
        }
        if (message == null) message = failure.getClass().getSimpleName();
        return message.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse(message);
    }
}
