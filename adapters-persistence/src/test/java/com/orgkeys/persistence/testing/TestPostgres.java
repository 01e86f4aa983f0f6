package com.orgkeys.persistence.testing;

import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.EmbeddedDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real PostgreSQL server per test JVM (embedded, started on first use, stopped and deleted when the test
 * session ends); every caller gets a fresh, empty database on it so that tests never see each other's rows.
 */
public final class TestPostgres {
    private static final AtomicInteger counter = new AtomicInteger();
    private static EmbeddedDatabase server;
    private static Path directory;

    private TestPostgres() {
    }

    public static synchronized DatabaseUrl newDatabase() {
        if (server == null) {
            try {
                directory = Files.createTempDirectory("orgkeys-test-pg");
                try {
                    server = EmbeddedDatabase.start(directory, 0);
                } catch (RuntimeException e) {
                    deleteTree(directory);
                    throw e;
                }
                // a fallback for runs outside Surefire: under it TestPostgresCleanup stops it earlier, as Surefire
                // halts a fork still in its shutdown hooks once Maven has exited (after the last module's tests)
                Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stop));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String name = "test_" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
        DatabaseUrl admin = server.url();
        try (Connection connection = connect(admin);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database", e);
        }
        return new DatabaseUrl("jdbc:postgresql://localhost:" + server.port() + "/" + name, admin.user(), admin.password());
    }

    /**
     * Stops the server and deletes its directory: the cluster and its extracted binaries are 100–600 MB per test
     * JVM, and nothing may stay in the temp folder. Idempotent; a later {@link #newDatabase()} starts a new one.
     */
    public static synchronized void stop() {
        if (server == null) return;
        try {
            server.close();
        } finally {
            server = null;
            deleteTree(directory);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete the test PostgreSQL under " + root + ": " + e);
        }
    }

    /** A connection with the URL's credentials (the embedded server wants a password). */
    public static Connection connect(DatabaseUrl url) throws SQLException {
        Properties credentials = new Properties();
        url.user().ifPresent(user -> credentials.setProperty("user", user));
        url.password().ifPresent(password -> credentials.setProperty("password", password));
        return DriverManager.getConnection(url.jdbcUrl(), credentials);
    }

    /**
     * The database migrated, and a pool of {@code size} connections to it: one when a test reads statistics or plans
     * that must come from the same server process as the repository's statements.
     */
    public static HikariDataSource migratedPool(DatabaseUrl url, int size) {
        Database.connect(url, 2).close(); // Flyway wants two connections
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    /** The URL as {@code DATABASE_URL} carries it, credentials included (the generated password is URL-safe). */
    public static String environmentValue(DatabaseUrl url) {
        return url.jdbcUrl() + "?user=" + url.user().orElseThrow() + url.password().map(p -> "&password=" + p).orElse("");
    }
}
