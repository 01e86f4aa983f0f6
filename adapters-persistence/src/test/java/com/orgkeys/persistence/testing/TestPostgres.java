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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

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
                Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String name = "test_" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
        DatabaseUrl admin = server.url();
        try (Connection connection = DriverManager.getConnection(admin.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database", e);
        }
        return new DatabaseUrl("jdbc:postgresql://localhost:" + server.port() + "/" + name,
                Optional.of("postgres"), Optional.empty());
    }
}
