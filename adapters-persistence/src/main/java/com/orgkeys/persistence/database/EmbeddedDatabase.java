package com.orgkeys.persistence.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A real PostgreSQL server started by this process, with its cluster under {@code dataDir/postgres} so that
 * data survives restarts. The binaries come from the zonky jars on the class path: nothing is downloaded.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final Duration STALE_SERVER_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts the server on a free loopback port (or {@code port} when > 0). */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        Path cluster = dataDir.resolve("postgres").toAbsolutePath();
        try {
            Files.createDirectories(dataDir.resolve("postgres-binaries"));
            stopOrphanedServer(cluster);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(cluster)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false) // the application stops it after the pool is closed
                    .setOverrideWorkingDirectory(dataDir.resolve("postgres-binaries").toAbsolutePath().toFile())
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "100")
                    // zonky's defaults are for throwaway test databases (fsync off, asynchronous commit): a crash
                    // of the machine could then lose acknowledged writes or corrupt the cluster. This one is real.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (port > 0) builder.setPort(port);
            return new EmbeddedDatabase(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL under " + cluster, e);
        }
    }

    /**
     * After {@code kill -9} of the JVM the postmaster it started keeps running and holds the cluster, which
     * would make this start fail. Stop it first (SIGTERM = PostgreSQL's smart shutdown, safe for the data).
     */
    private static void stopOrphanedServer(Path cluster) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return;
        Optional<ProcessHandle> postmaster = Files.readAllLines(pidFile).stream().findFirst()
                .map(String::strip).filter(s -> s.matches("\\d+")).map(Long::parseLong)
                .flatMap(ProcessHandle::of)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (postmaster.isEmpty()) return; // a stale pid file alone is handled by PostgreSQL itself
        ProcessHandle process = postmaster.get();
        log.warn("Stopping an orphaned embedded PostgreSQL (pid {}) left by a previous run", process.pid());
        process.destroy();
        try {
            process.onExit().get(STALE_SERVER_STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IOException("an earlier embedded PostgreSQL (pid " + process.pid()
                    + ") still holds " + cluster + "; stop it and start again", e);
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
        }
    }
}
