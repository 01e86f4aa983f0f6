package com.orgkeys.persistence.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** The connection pool, with the schema brought up to date by Flyway before the first use. */
public final class Database implements AutoCloseable {
    /** Bounded so that requests fail fast with 503 while the database is down instead of piling up. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

    /**
     * The PostgreSQL major versions orgkeys runs on: the embedded one (18, on which the migrations, contract tests
     * and benchmarks run) back to 14, the embedded one of the previous release.
     */
    public static final int OLDEST_SUPPORTED_MAJOR = 14;
    public static final int NEWEST_SUPPORTED_MAJOR = 18;

    /** The server is a PostgreSQL version that orgkeys does not support; the message is one line for the user. */
    public static final class UnsupportedVersionException extends RuntimeException {
        UnsupportedVersionException(String message) {
            super(message);
        }
    }

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The pool on {@code url}, with the schema migrated.
     *
     * @throws UnsupportedVersionException before any migration, when the server's version is not supported
     */
    public static Database connect(DatabaseUrl url, int maxPoolSize) {
        return connect(url, maxPoolSize, null);
    }

    /** @param metrics where the pool's metrics go (HikariCP's connection counts and timings); null for none */
    public static Database connect(DatabaseUrl url, int maxPoolSize, PrometheusRegistry metrics) {
        return connect(url, maxPoolSize, metrics, OLDEST_SUPPORTED_MAJOR, NEWEST_SUPPORTED_MAJOR);
    }

    static Database connect(DatabaseUrl url, int maxPoolSize, int oldestMajor, int newestMajor) {
        return connect(url, maxPoolSize, null, oldestMajor, newestMajor);
    }

    private static Database connect(DatabaseUrl url, int maxPoolSize, PrometheusRegistry metrics, int oldestMajor,
                                    int newestMajor) {
        HikariConfig config = new HikariConfig();
        if (metrics != null) config.setMetricsTrackerFactory(new PrometheusPoolMetrics(metrics));
        config.setPoolName("orgkeys");
        config.setJdbcUrl(url.jdbcUrl());
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(maxPoolSize);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(1_000);
        // Start even when the database is not up yet: /readyz reports it and the pool reconnects by itself.
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("socketTimeout", "30");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "orgkeys");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .connectRetriesInterval(2) // seconds between tries: a database that starts with us gets ~20 s
                    // the version check waited as long already: then Flyway fails at once, with its own message
                    .connectRetries(requireSupportedServer(dataSource, url, oldestMajor, newestMajor) ? 10 : 0)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    /**
     * Checks the server's version before any migration, trying to connect as long as Flyway would (each try waits
     * up to {@link #CONNECTION_TIMEOUT} in the pool); false when the server could not be reached at all.
     */
    private static boolean requireSupportedServer(HikariDataSource dataSource, DatabaseUrl url, int oldestMajor,
                                                  int newestMajor) {
        for (int attempt = 0; attempt <= 10; attempt++) {
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SHOW server_version_num")) {
                rows.next();
                requireSupported(Integer.parseInt(rows.getString(1).strip()), url.redacted(), oldestMajor, newestMajor);
                return true;
            } catch (SQLException e) {
                // not up yet: the pool has waited CONNECTION_TIMEOUT for it
            }
        }
        return false;
    }

    /**
     * Refuses a server whose {@code server_version_num} (e.g. 180001) is outside {@code oldestMajor..newestMajor}.
     *
     * @throws UnsupportedVersionException naming the version found and the versions supported
     */
    static void requireSupported(int serverVersionNum, String where, int oldestMajor, int newestMajor) {
        int major = serverVersionNum / 10_000; // the scheme since PostgreSQL 10
        if (major >= oldestMajor && major <= newestMajor) return;
        throw new UnsupportedVersionException("the PostgreSQL at " + where + " is version " + major + "."
                + serverVersionNum % 10_000 + "; orgkeys supports PostgreSQL " + oldestMajor + " to " + newestMajor
                + (major < oldestMajor ? ": upgrade the server (docs/operations.md)" : ": use a release of orgkeys that supports it"));
    }


    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
