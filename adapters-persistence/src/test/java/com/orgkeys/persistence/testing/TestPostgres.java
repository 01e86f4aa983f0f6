package com.orgkeys.persistence.testing;

import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.EmbeddedDatabase;

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
 * One real PostgreSQL server per test JVM (embedded, started on first use, stopped at exit); every caller
 * gets a fresh, empty database on it so that tests never see each other's rows.
 */
public final class TestPostgres {
    private static final AtomicInteger counter = new AtomicInteger();
    private static EmbeddedDatabase server;

    private TestPostgres() {
    }

    public static synchronized DatabaseUrl newDatabase() {
        if (server == null) {
            try {
                Path dir = Files.createTempDirectory("orgkeys-test-pg");
                server = EmbeddedDatabase.start(dir, 0);
                EmbeddedDatabase started = server;
                // the cluster and its extracted binaries are ~100 MB per test JVM: nothing stays in the temp folder
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    deleteTree(dir);
                }));
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

    /** The URL as {@code DATABASE_URL} carries it, credentials included (the generated password is URL-safe). */
    public static String environmentValue(DatabaseUrl url) {
        return url.jdbcUrl() + "?user=" + url.user().orElseThrow() + url.password().map(p -> "&password=" + p).orElse("");
    }
}
