package com.orgkeys.persistence.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server started by this process, with its cluster under {@code dataDir/postgres} so that
 * data survives restarts. The binaries come from the zonky jars on the class path: nothing is downloaded.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final Duration STALE_SERVER_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final Optional<DataDirectory> ownDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Optional<DataDirectory> ownDirectory) {
        this.postgres = postgres;
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
        Path cluster = directory.path().resolve("postgres");
        Path binaries = directory.path().resolve("postgres-binaries");
        try {
            Files.createDirectories(binaries);
            stopOrphanedServer(cluster);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(cluster)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false) // the application stops it after the pool is closed
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "100")
                    // zonky's defaults are for throwaway test databases (fsync off, asynchronous commit): a crash
                    // of the machine could then lose acknowledged writes or corrupt the cluster. This one is real.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (port > 0) builder.setPort(port);
            return new EmbeddedDatabase(builder.start(), own);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL under " + cluster, e);
        }
    }

    /**
     * After {@code kill -9} of the JVM the postmaster it started keeps running and holds the cluster, which would
     * make this start fail. The caller holds the data directory's lock, so no live orgkeys owns that postmaster:
     * stop it (SIGTERM = PostgreSQL's smart shutdown, safe for the data).
     */
    private static void stopOrphanedServer(Path cluster) throws IOException {
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
                Optional.of("postgres"), Optional.empty());
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
