package com.orgkeys.persistence.apikey.listener;

import com.orgkeys.application.apikey.port.in.RevocationListener;
import com.orgkeys.persistence.database.DatabaseUrl;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Listens on PostgreSQL for API key revocations ({@code NOTIFY} sent by the transaction that revokes or deletes
 * keys, in any process on the same database) and passes them to verification. One dedicated connection, outside
 * the pool; on any failure verification is told to trust no cache until the feed has reconnected.
 */
public final class RevocationFeed implements AutoCloseable {
    public static final String CHANNEL = "orgkeys_api_key_revoked";
    private static final Logger log = LoggerFactory.getLogger(RevocationFeed.class);
    private static final int POLL_MILLIS = 500;
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final DatabaseUrl url;
    private final RevocationListener observer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    public RevocationFeed(DatabaseUrl url, RevocationListener observer) {
        this.url = url;
        this.observer = observer;
        this.thread = Thread.ofPlatform().daemon().name("api-key-revocation-feed").start(this::run);
    }

    private void run() {
        while (running) {
            try (Connection listening = connect()) {
                connection = listening;
                try (Statement statement = listening.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                observer.feedRestored();
                PGConnection pg = listening.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications == null) continue;
                    for (PGNotification notification : notifications) observer.keyRevoked(notification.getParameter());
                }
            } catch (SQLException e) {
                observer.feedInterrupted();
                if (running) {
                    log.warn("API key revocation feed interrupted ({}); verifying every key against the database until it is back",
                            e.getMessage());
                    sleep(RETRY_DELAY);
                }
            } finally {
                connection = null;
            }
        }
        observer.feedInterrupted();
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        url.user().ifPresent(u -> properties.setProperty("user", u));
        url.password().ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "orgkeys-revocation-feed");
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(Duration.ofSeconds(5));
    }
}
