package com.orgkeys.persistence.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded PostgreSQL admits only this process: a password for every connection, no socket, private files. */
class EmbeddedDatabaseTest {
    @TempDir
    static Path dataDir;
    static EmbeddedDatabase postgres;

    @BeforeAll
    static void start() {
        postgres = EmbeddedDatabase.start(dataDir, 0);
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    static Connection connect(String host, int port, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        if (password != null) properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", properties);
    }

    static String password(Path dataDir) throws Exception {
        return Files.readString(dataDir.resolve("postgres-password")).strip();
    }

    static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void a_passwordless_connection_from_loopback_is_refused() {
        assertThrows(SQLException.class, () -> connect("127.0.0.1", postgres.port(), null).close());
        assertThrows(SQLException.class, () -> connect("localhost", postgres.port(), null).close());
    }

    @Test
    void a_wrong_password_is_refused_and_the_generated_one_works() throws Exception {
        var wrong = assertThrows(SQLException.class, () -> connect("127.0.0.1", postgres.port(), "guess").close());
        assertEquals("28P01", wrong.getSQLState(), wrong.getMessage()); // invalid_password
        try (Connection connection = connect("127.0.0.1", postgres.port(), password(dataDir));
             ResultSet rows = connection.createStatement().executeQuery("SELECT current_user")) {
            rows.next();
            assertEquals("postgres", rows.getString(1));
        }
        assertEquals(password(dataDir), postgres.url().password().orElseThrow());
    }

    @Test
    void the_password_is_long_random_and_stored_only_by_its_scram_verifier() throws Exception {
        String password = password(dataDir);
        assertTrue(password.matches("[A-Za-z0-9_-]{32,}"), "URL-safe and long: " + password.length());
        try (Connection connection = connect("127.0.0.1", postgres.port(), password);
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'")) {
            rows.next();
            assertTrue(rows.getString(1).startsWith("SCRAM-SHA-256$"));
        }
    }

    @Test
    void no_line_of_pg_hba_trusts_anyone() throws Exception {
        List<String> rules = Files.readAllLines(dataDir.resolve("postgres/pg_hba.conf")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertFalse(rules.isEmpty());
        for (String rule : rules) assertTrue(rule.endsWith("scram-sha-256"), rule);
    }

    @Test
    void there_is_no_unix_socket_for_other_local_users_to_reach() throws Exception {
        List<String> pidFile = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
        assertEquals("", pidFile.get(4).strip(), "line 5 of postmaster.pid is the socket directory"); // none
        for (String dir : List.of("/tmp", "/var/run/postgresql", "/run/postgresql")) {
            assertFalse(Files.exists(Path.of(dir, ".s.PGSQL." + postgres.port())), dir);
        }
    }

    @Test
    void data_dir_and_binaries_are_private_and_the_password_file_is_owner_read_write() throws Exception {
        assertEquals("rwx------", permissions(dataDir));
        assertEquals("rwx------", permissions(dataDir.resolve("postgres-binaries")));
        assertEquals("rwx------", permissions(dataDir.resolve("postgres")));
        assertEquals("rw-------", permissions(dataDir.resolve("postgres-password")));
    }

    @Test
    void a_pid_file_copied_from_another_data_dir_does_not_name_an_orphan_of_this_one(@TempDir Path copy)
            throws Exception {
        Path cluster = dataDir.resolve("postgres");
        long postmaster = Long.parseLong(Files.readAllLines(cluster.resolve("postmaster.pid")).getFirst().strip());
        assertEquals(postmaster, EmbeddedDatabase.postmasterOf(cluster).orElseThrow().pid());

        Path copiedCluster = Files.createDirectories(copy.resolve("postgres"));
        Files.copy(cluster.resolve("postmaster.pid"), copiedCluster.resolve("postmaster.pid"));
        assertEquals(java.util.Optional.empty(), EmbeddedDatabase.postmasterOf(copiedCluster));
    }

    /** A cluster as earlier versions made it (zonky's defaults: initdb -A trust), with {@code sql} run in it. */
    static void makeTrustClusterAsEarlierVersionsDid(Path dataDir, String sql) throws Exception {
        try (EmbeddedPostgres trusting = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).setRegisterShutdownHook(false)
                .setOverrideWorkingDirectory(dataDir.resolve("postgres-binaries").toFile()).start();
             Connection connection = trusting.getPostgresDatabase().getConnection()) {
            connection.createStatement().execute(sql);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void a_cluster_made_by_an_older_version_with_trust_is_upgraded_in_place(@TempDir Path old) throws Exception {
        makeTrustClusterAsEarlierVersionsDid(old, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before')");

        try (EmbeddedDatabase upgraded = EmbeddedDatabase.start(old, 0)) {
            assertThrows(SQLException.class, () -> connect("127.0.0.1", upgraded.port(), null).close());
            try (Connection connection = connect("127.0.0.1", upgraded.port(), password(old));
                 ResultSet rows = connection.createStatement().executeQuery("SELECT v FROM kept")) {
                rows.next();
                assertEquals("before", rows.getString(1));
            }
            assertEquals("rw-------", permissions(old.resolve("postgres-password")));
        }
        assertTrue(Files.readString(old.resolve("postgres/pg_hba.conf")).lines()
                .noneMatch(line -> !line.strip().startsWith("#") && line.contains("trust")));

        // and the next start is an ordinary one, on the same password
        try (EmbeddedDatabase again = EmbeddedDatabase.start(old, 0);
             Connection connection = connect("127.0.0.1", again.port(), password(old))) {
            assertThrows(SQLException.class, () -> connect("127.0.0.1", again.port(), null).close());
        }
    }

    @Test
    void an_old_trust_cluster_never_admits_a_connection_without_the_password_while_it_is_upgraded(@TempDir Path old)
            throws Exception {
        makeTrustClusterAsEarlierVersionsDid(old, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before');"
                + " CREATE ROLE intruder SUPERUSER LOGIN PASSWORD 'made while anyone could get in'");
        int port = freePort();
        AtomicBoolean started = new AtomicBoolean();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refusedForItsPassword = new AtomicInteger();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        // another local user, trying all along: a wrong password is no obstacle where pg_hba says trust
        Thread intruder = Thread.ofPlatform().start(() -> {
            while (System.nanoTime() < deadline && !(started.get() && refusedForItsPassword.get() > 0)) {
                try (Connection ignored = connect("127.0.0.1", port, "not the password")) {
                    admitted.incrementAndGet();
                } catch (SQLException e) {
                    if (Set.of("28P01", "28000").contains(e.getSQLState())) refusedForItsPassword.incrementAndGet();
                }
                LockSupport.parkNanos(Duration.ofMillis(2).toNanos()); // pace the attempts, two cores are shared
            }
        });
        try (EmbeddedDatabase upgraded = EmbeddedDatabase.start(old, port)) {
            started.set(true);
            intruder.join(Duration.ofSeconds(150));
            assertEquals(0, admitted.get(), "connections admitted without the password during the upgrade");
            assertTrue(refusedForItsPassword.get() > 0, "the intruder tried while the server was up");
            try (Connection connection = connect("127.0.0.1", upgraded.port(), password(old));
                 ResultSet rows = connection.createStatement().executeQuery("SELECT v FROM kept")) {
                rows.next();
                assertEquals("before", rows.getString(1));
                // what the start warns about: a role someone made while anyone could get in
                assertEquals(List.of("intruder"), EmbeddedDatabase.otherLoginRoles(connection));
            }
        } finally {
            started.set(true);
            intruder.join(Duration.ofSeconds(150));
        }
    }

    @Test
    void binaries_other_users_could_change_are_unpacked_afresh_before_anything_runs_from_them(@TempDir Path dir)
            throws Exception {
        EmbeddedDatabase.start(dir, 0).close();
        Path binaries = dir.resolve("postgres-binaries");
        Path unpacked;
        try (Stream<Path> children = Files.list(binaries)) {
            unpacked = children.filter(child -> child.getFileName().toString().startsWith("PG-")).findFirst().orElseThrow();
        }
        // as earlier versions left it (world-writable), and what another local user could then do to it
        Files.setPosixFilePermissions(binaries, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path ran = dir.resolve("planted-program-ran");
        Path pgCtl = unpacked.resolve("bin/pg_ctl");
        Files.move(pgCtl, unpacked.resolve("bin/pg_ctl.real"));
        Files.writeString(pgCtl, "#!/bin/sh\ntouch '" + ran + "'\nexec \"$0.real\" \"$@\"\n");
        Files.setPosixFilePermissions(pgCtl, PosixFilePermissions.fromString("rwxr-xr-x"));
        // zonky reuses an unpacked directory whose marker is newer than everything in it
        Files.setLastModifiedTime(unpacked.resolve(".exists"), FileTime.from(Instant.now().plusSeconds(60)));

        try (EmbeddedDatabase again = EmbeddedDatabase.start(dir, 0);
             Connection ignored = connect("127.0.0.1", again.port(), password(dir))) {
            assertFalse(Files.exists(ran), "the planted pg_ctl ran");
            assertFalse(Files.exists(unpacked.resolve("bin/pg_ctl.real")), "the planted tree is still there");
            assertEquals("rwx------", permissions(binaries));
        }
    }

    @Test
    void a_file_in_the_binaries_made_by_another_user_has_them_unpacked_afresh(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"), "only root can give a file away");
        EmbeddedDatabase.start(dir, 0).close();
        Path binaries = dir.resolve("postgres-binaries");
        Path planted;
        try (Stream<Path> children = Files.list(binaries)) {
            planted = children.filter(child -> child.getFileName().toString().startsWith("PG-")).findFirst()
                    .orElseThrow().resolve("lib/planted.so");
        }
        Files.writeString(planted, "not from the archive");
        Files.setOwner(planted, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertEquals("rwx------", permissions(binaries), "the directory itself looks private");

        EmbeddedDatabase.start(dir, 0).close();
        assertFalse(Files.exists(planted));
        try (Stream<Path> leftovers = Files.list(dir)) {
            assertEquals(List.of(), leftovers.filter(p -> p.getFileName().toString().contains("untrusted")).toList());
        }
    }

    @Test
    void the_password_check_passes_only_when_the_server_refuses_a_connection_without_it(@TempDir Path old)
            throws Exception {
        EmbeddedDatabase.requirePasswordInForce(postgres.port(), Duration.ofSeconds(10));

        // nothing listening is no proof that a password is required
        int nobodyListens = freePort();
        var unknown = assertThrows(SQLException.class,
                () -> EmbeddedDatabase.requirePasswordInForce(nobodyListens, Duration.ofMillis(300)));
        assertTrue(unknown.getMessage().contains("could not tell"), unknown.getMessage());

        try (EmbeddedPostgres trusting = EmbeddedPostgres.builder().setDataDirectory(old.resolve("postgres"))
                .setCleanDataDirectory(false).setRegisterShutdownHook(false)
                .setOverrideWorkingDirectory(old.resolve("postgres-binaries").toFile()).start()) {
            var admitted = assertThrows(SQLException.class,
                    () -> EmbeddedDatabase.requirePasswordInForce(trusting.getPort(), Duration.ofSeconds(10)));
            assertTrue(admitted.getMessage().contains("without the password"), admitted.getMessage());
        }
    }

    @Test
    void a_lost_password_file_is_named_at_once_instead_of_a_start_that_cannot_log_in(@TempDir Path dir)
            throws Exception {
        EmbeddedDatabase.start(dir, 0).close();
        Files.delete(dir.resolve("postgres-password"));
        long started = System.nanoTime();
        var refused = assertThrows(DataDirectory.UnusableException.class, () -> EmbeddedDatabase.start(dir, 0));
        assertTrue(refused.getMessage().contains("postgres-password"), refused.getMessage());
        assertTrue(System.nanoTime() - started < 10_000_000_000L, "failed fast");
        assertFalse(Files.exists(dir.resolve("postgres/postmaster.pid")), "nothing was started");
    }
}
