package com.orgkeys.persistence.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server started by this process, with its cluster under {@code dataDir/postgres} so that
 * data survives restarts. The binaries come from the zonky jars on the class path: nothing is downloaded.
 *
 * <p>Only this process gets in: every connection needs the password kept in {@code dataDir/postgres-password}
 * (generated on first start, owner-only), there is no Unix socket, and the data directory is private.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final Duration STALE_SERVER_STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PASSWORD_CHECK_TIMEOUT = Duration.ofSeconds(10);
    /** Single-user mode may first replay the WAL of a cluster that was not shut down cleanly. */
    private static final Duration SINGLE_USER_TIMEOUT = Duration.ofMinutes(5);
    /** What the server or the driver says when a connection without the right password is turned away. */
    private static final Set<String> REFUSED_FOR_ITS_PASSWORD = Set.of(
            "28P01", // invalid_password
            "28000", // invalid_authorization_specification: no pg_hba rule admits it
            "08004"); // the driver, when the server asks for a password and there is none to give
    /** Methods of pg_hba.conf that admit a connection without the password. */
    private static final Set<String> PASSWORDLESS_METHODS = Set.of("trust", "ident", "peer");
    static final String PASSWORD_FILE = "postgres-password";
    private static final String SUPERUSER = "postgres";
    /** What replaces a pg_hba.conf that lets anyone in; a new cluster gets the same rules from initdb. */
    private static final String PASSWORD_FOR_EVERY_CONNECTION = """
            # Written by orgkeys: every connection needs the password in DATA_DIR/postgres-password.
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 scram-sha-256
            host    all       all   127.0.0.1/32  scram-sha-256
            host    all       all   ::1/128       scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final String password;
    private final Optional<DataDirectory> ownDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password, Optional<DataDirectory> ownDirectory) {
        this.postgres = postgres;
        this.password = password;
        this.ownDirectory = ownDirectory;
    }

    /**
     * Locks {@code dataDir}, then starts the server on a free loopback port (or {@code port} when > 0); the lock is
     * released by {@link #close()}.
     *
     * @throws DataDirectory.UnusableException when the directory is held by another process or unusable
     */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        DataDirectory directory = DataDirectory.lock(dataDir);
        try {
            return start(directory, port, Optional.of(directory));
        } catch (RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    /** Starts the server in a data directory that the caller has locked and keeps locked until after {@link #close()}. */
    public static EmbeddedDatabase start(DataDirectory directory, int port) {
        return start(directory, port, Optional.empty());
    }

    private static EmbeddedDatabase start(DataDirectory directory, int port, Optional<DataDirectory> own) {
        return start(directory, port, own, PostgresBinaries.Release.EMBEDDED);
    }

    /** With the previous release's PostgreSQL: how the tests make a DATA_DIR as that release left it. */
    static EmbeddedDatabase startAsPreviousRelease(DataDirectory directory) {
        return start(directory, 0, Optional.empty(), PostgresBinaries.Release.PREVIOUS);
    }

    private static EmbeddedDatabase start(DataDirectory directory, int port, Optional<DataDirectory> own,
                                          PostgresBinaries.Release release) {
        Path cluster = directory.path().resolve("postgres");
        Path binaries = directory.path().resolve("postgres-binaries");
        Path passwordFile = directory.path().resolve(PASSWORD_FILE);
        try {
            PostgresBinaries programs = PostgresBinaries.prepare(binaries, release); // private before zonky unpacks into it
            stopOrphanedServer(cluster);
            ClusterUpgrade upgrade = new ClusterUpgrade(directory.path(), programs);
            upgrade.restoreAfterAnInterruptedSwap();
            boolean exists = Files.exists(cluster.resolve("postgresql.conf")); // zonky runs initdb when it is absent
            boolean open = exists && letsSomeoneInWithoutThePassword(cluster.resolve("pg_hba.conf"));
            String password = password(passwordFile, cluster, exists && !open);
            if (exists) upgrade.ifOlder(password);
            EmbeddedPostgres.Builder builder = server(programs, cluster, binaries, passwordFile, password);
            if (port > 0) builder.setPort(port);
            EmbeddedPostgres postgres = builder.start();
            try {
                requirePasswordInForce(postgres.getPort(), PASSWORD_CHECK_TIMEOUT);
                warnAboutOtherLoginRoles(postgres, cluster);
            } catch (SQLException | RuntimeException e) {
                postgres.close();
                throw new IOException("the embedded PostgreSQL failed a check after it started: " + e.getMessage(), e);
            }
            upgrade.dropBackupOnceStarted();
            return new EmbeddedDatabase(postgres, password, own);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL under " + cluster, e.getCause());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL under " + cluster, e);
        }
    }

    /**
     * The server of {@code cluster} run by {@code programs}, as orgkeys runs it: a new cluster gets SCRAM and the
     * password of {@code passwordFile}; an old one is switched to them before it starts; loopback only, no socket.
     */
    static EmbeddedPostgres.Builder server(PostgresBinaries programs, Path cluster, Path binaries, Path passwordFile,
                                           String password) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(cluster)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false) // the application stops it after the pool is closed
                .setOverrideWorkingDirectory(binaries.toFile())
                .setPgBinaryResolver(programs)
                // runs after the binaries are unpacked and initdb, before the server is started
                .setDataDirectoryCustomizer(ignored -> beforeTheServerStarts(programs, cluster, password))
                // initdb of a new cluster: SCRAM for every connection, the superuser's password from the file.
                // zonky passes these after its own "-A trust", and initdb keeps the last.
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", passwordFile.toString())
                .setConnectConfig("password", password) // zonky's own readiness check logs in too
                .setServerConfig("listen_addresses", "localhost")
                // no Unix socket (its default place is /tmp): nothing here uses one, and other users could reach it
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("max_connections", "100")
                // zonky's defaults are for throwaway test databases (fsync off, asynchronous commit): a crash
                // of the machine could then lose acknowledged writes or corrupt the cluster. This one is real.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setPGStartupWait(Duration.ofSeconds(60));
    }

    /**
     * The server never starts while pg_hba.conf lets anyone in (as clusters of earlier versions did): the password
     * is set, then the rules replaced, with the server down. In that order, so an interrupted upgrade is redone.
     */
    static void beforeTheServerStarts(PostgresBinaries programs, Path cluster, String password) {
        try {
            programs.seal();
            Path pgHba = cluster.resolve("pg_hba.conf");
            if (!letsSomeoneInWithoutThePassword(pgHba)) return;
            log.warn("The embedded PostgreSQL in {} let every local user in without a password (made by an earlier "
                    + "version): it requires the password in {} from now on", cluster, PASSWORD_FILE);
            setPasswordWithoutNetwork(programs, cluster, password);
            replace(pgHba, PASSWORD_FOR_EVERY_CONNECTION);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The superuser's password: read from {@code file}, or made up (and stored, owner-only) for a cluster that does
     * not need one yet. A cluster that requires one cannot be opened without the file: that is said at once, rather
     * than after a minute of failed logins.
     */
    private static String password(Path file, Path cluster, boolean clusterRequiresIt) throws IOException {
        if (Files.exists(file)) {
            DataDirectory.restrict(file, "rw-------");
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) throw new DataDirectory.UnusableException(file + " is empty");
            return password;
        }
        if (clusterRequiresIt) {
            throw new DataDirectory.UnusableException(file + " is missing, and the PostgreSQL cluster in " + cluster
                    + " requires that password: restore the file (e.g. from the backup of DATA_DIR)");
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random); // URL-safe: fits a DATABASE_URL
        try (SeekableByteChannel out = Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), DataDirectory.privateFile())) {
            out.write(ByteBuffer.wrap(password.getBytes(StandardCharsets.UTF_8)));
        }
        return password;
    }

    /** Whether a rule of pg_hba.conf lets a connection in without a password, as clusters of earlier versions did. */
    static boolean letsSomeoneInWithoutThePassword(Path pgHba) throws IOException {
        return Files.readAllLines(pgHba).stream()
                .map(line -> line.replaceFirst("#.*", "").strip())
                .filter(rule -> !rule.isEmpty())
                .anyMatch(rule -> Arrays.stream(rule.split("\\s+")).anyMatch(PASSWORDLESS_METHODS::contains));
    }

    /**
     * Sets the superuser's password in PostgreSQL's single-user mode: a backend on stdin and stdout, with no
     * postmaster, port or socket, so nobody can connect meanwhile. Only the SCRAM verifier reaches PostgreSQL.
     */
    private static void setPasswordWithoutNetwork(PostgresBinaries programs, Path cluster, String password)
            throws IOException {
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray()); // base64, '$' and ':': no quotes
        String done = "orgkeys: the password is set";
        String statements = "ALTER ROLE " + SUPERUSER + " PASSWORD '" + verifier + "';\n"
                + "SELECT '" + done + "' FROM pg_authid WHERE rolname = '" + SUPERUSER + "' AND rolpassword = '"
                + verifier + "';\n";
        Process backend = new ProcessBuilder(programs.command("postgres", "--single", "-D", cluster.toString(),
                "postgres")).redirectErrorStream(true).start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = backend.getInputStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        try (var in = backend.getOutputStream()) {
            in.write(statements.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!backend.waitFor(SINGLE_USER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                backend.destroyForcibly();
                throw new IOException("PostgreSQL in single-user mode did not finish within " + SINGLE_USER_TIMEOUT);
            }
            // the result row prints as  1: ?column? = "<done>"; an error only as a log line, exit status 0
            String said = new String(output.get(SINGLE_USER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    StandardCharsets.UTF_8);
            if (backend.exitValue() != 0 || !said.contains("\"" + done + "\"")) {
                throw new IOException("PostgreSQL in single-user mode could not set the password (exit status "
                        + backend.exitValue() + "): " + said.replace(verifier, "<verifier>").strip());
            }
        } catch (InterruptedException e) {
            backend.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the password", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("could not read what PostgreSQL in single-user mode said", e);
        }
    }

    /** Replaces {@code file} by {@code content} at once, in a file private to this user. */
    private static void replace(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".orgkeys-new");
        Files.deleteIfExists(next);
        try (SeekableByteChannel out = Files.newByteChannel(next,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), DataDirectory.privateFile())) {
            out.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Checks, on the running server, that a connection without the password is turned away: whatever the files
     * say, this is what another local user would meet. Anything but a refusal is retried until a deadline.
     */
    static void requirePasswordInForce(int port, Duration timeout) throws SQLException {
        Properties noPassword = new Properties();
        noPassword.setProperty("user", SUPERUSER);
        noPassword.setProperty("connectTimeout", "2");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SQLException unexpected;
            try (Connection admitted = DriverManager.getConnection(
                    "jdbc:postgresql://localhost:" + port + "/postgres", noPassword)) {
                unexpected = null;
            } catch (SQLException e) {
                if (REFUSED_FOR_ITS_PASSWORD.contains(e.getSQLState())) return;
                unexpected = e;
            }
            if (unexpected == null) {
                throw new SQLException("PostgreSQL on port " + port + " let a connection in without the password");
            }
            if (System.nanoTime() > deadline) {
                throw new SQLException("could not tell whether PostgreSQL on port " + port + " requires the password "
                        + "(SQL state " + unexpected.getSQLState() + ")", unexpected);
            }
            try {
                Thread.sleep(50); // a server that is up refuses or admits at once: this is a retry, not a wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while checking that PostgreSQL requires the password", e);
            }
        }
    }

    /**
     * orgkeys makes no role but the superuser: any other that can log in was made by someone, perhaps while
     * earlier versions let every local user in as superuser, and keeps the password that someone gave it.
     */
    private static void warnAboutOtherLoginRoles(EmbeddedPostgres postgres, Path cluster) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            List<String> others = otherLoginRoles(connection);
            if (others.isEmpty()) return;
            log.warn("Roles other than {} can log in to the embedded PostgreSQL in {}: {}. orgkeys makes none; unless "
                    + "you did, drop them (DROP ROLE), as they may date from when earlier versions let every local user "
                    + "in", SUPERUSER, cluster, String.join(", ", others));
        }
    }

    /** The roles that can log in, but the bootstrap superuser (oid 10 in every cluster). */
    static List<String> otherLoginRoles(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT rolname FROM pg_roles WHERE rolcanlogin AND oid <> 10 ORDER BY rolname")) {
            while (rows.next()) names.add(rows.getString(1));
        }
        return names;
    }

    /**
     * After {@code kill -9} of the JVM the postmaster it started keeps running and holds the cluster, which would
     * make this start fail. The caller holds the data directory's lock, so no live orgkeys owns that postmaster:
     * stop it (SIGTERM = PostgreSQL's smart shutdown, safe for the data).
     */
    static void stopOrphanedServer(Path cluster) throws IOException {
        Optional<ProcessHandle> postmaster = postmasterOf(cluster);
        if (postmaster.isEmpty()) return; // a stale pid file alone is handled by PostgreSQL itself
        ProcessHandle process = postmaster.get();
        log.warn("Stopping an orphaned embedded PostgreSQL (pid {}) left by a previous run", process.pid());
        process.destroy();
        try {
            process.onExit().get(STALE_SERVER_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IOException("an earlier embedded PostgreSQL (pid " + process.pid()
                    + ") still holds " + cluster + "; stop it and start again", e);
        }
    }

    /**
     * The running postmaster of {@code cluster}, going by its pid file, when that process really serves this
     * directory: the pid file's second line names the directory (a copied DATA_DIR carries the original's pid
     * file), and the process must be a {@code postgres} started with {@code -D} on it (pids are reused).
     */
    static Optional<ProcessHandle> postmasterOf(Path cluster) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(cluster.resolve("postmaster.pid"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.size() < 2 || !lines.getFirst().strip().matches("\\d{1,10}")
                || !sameDirectory(lines.get(1).strip(), cluster)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.getFirst().strip()))
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                .filter(p -> p.info().arguments().map(args -> servesDirectory(List.of(args), cluster)).orElse(true));
    }

    private static boolean servesDirectory(List<String> arguments, Path cluster) {
        int option = arguments.indexOf("-D");
        return option >= 0 && option + 1 < arguments.size() && sameDirectory(arguments.get(option + 1), cluster);
    }

    private static boolean sameDirectory(String named, Path cluster) {
        try {
            return Files.isSameFile(Path.of(named), cluster);
        } catch (IOException | RuntimeException e) {
            return false; // gone, or not a path at all: not this cluster
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public DatabaseUrl url() {
        return new DatabaseUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                Optional.of(SUPERUSER), Optional.of(password));
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
        } finally {
            ownDirectory.ifPresent(DataDirectory::close);
        }
    }
}
