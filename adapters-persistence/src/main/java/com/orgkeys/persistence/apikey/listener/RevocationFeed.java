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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.security.SecureRandom;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * Listens on PostgreSQL for API key revocations ({@code NOTIFY} sent by the transaction that revokes or deletes
 * keys, in any process on the same database) and passes them to verification. One dedicated connection, outside
 * the pool; on any failure verification is told to trust no cache until the feed has reconnected.
 * <p>
 * A connection can look alive and deliver nothing: a half-open TCP connection, or a {@code LISTEN} behind a
 * transaction-mode PgBouncer, whose notifications go to a server session no longer ours. So the feed notifies
 * itself every {@link #HEARTBEAT} on a channel of its own, verification trusts the cache only once that first came
 * back, and a heartbeat missing for {@link #DEADLINE} ends the connection (distrust, reconnect): a key remembered
 * while revocations cannot arrive is believed for at most that long.
 */
public final class RevocationFeed implements AutoCloseable {
    /** Payload: the secret hash. Still sent, so that a process of an earlier version (rolling upgrade) evicts. */
    public static final String CHANNEL = "orgkeys_api_key_revoked";
    /**
     * Payload: {@code <secret hash> <microseconds since the epoch>}, when the revoking statement ran (a hair
     * before its commit): the lag to this process's eviction is measured from it.
     */
    public static final String TIMED_CHANNEL = "orgkeys_api_key_revoked_at";
    /** The SQL expression for {@link #TIMED_CHANNEL}'s payload, given an expression for the secret hash. */
    public static String timedPayload(String secretHash) {
        return secretHash + " || ' ' || (extract(epoch from clock_timestamp()) * 1000000)::bigint";
    }

    /**
     * A query that tells every process to forget the API keys matching {@code condition} (over {@code api_keys k}),
     * under every hash they are found by — a rotation's previous secret too — and returns those hashes.
     */
    public static String forgetKeysWhere(String condition) {
        return "SELECT h, pg_notify('" + CHANNEL + "', h), pg_notify('" + TIMED_CHANNEL + "', " + timedPayload("h") + ")"
                + " FROM api_keys k CROSS JOIN LATERAL unnest(ARRAY[k.secret_hash, k.previous_secret_hash]) AS hashes(h)"
                + " WHERE h IS NOT NULL AND " + condition;
    }
    private static final Logger log = LoggerFactory.getLogger(RevocationFeed.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration DEADLINE = Duration.ofSeconds(3);

    private final DatabaseUrl url;
    private final RevocationListener observer;
    private final Duration heartbeat;
    private final Duration deadline;
    private final BooleanSupplier sendHeartbeats;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    public RevocationFeed(DatabaseUrl url, RevocationListener observer) {
        this(url, observer, HEARTBEAT, DEADLINE, () -> true);
    }

    /** @param sendHeartbeats false stops the heartbeats (tests: a feed that hears nothing any more) */
    RevocationFeed(DatabaseUrl url, RevocationListener observer, Duration heartbeat, Duration deadline,
                   BooleanSupplier sendHeartbeats) {
        this.url = url;
        this.observer = observer;
        this.heartbeat = heartbeat;
        this.deadline = deadline;
        this.sendHeartbeats = sendHeartbeats;
        this.thread = Thread.ofPlatform().daemon().name("api-key-revocation-feed").start(this::run);
    }

    private void run() {
        while (running) {
            try (Connection listening = connect(); Statement statement = listening.createStatement()) {
                connection = listening;
                String own = "orgkeys_feed_" + Long.toHexString(RANDOM.nextLong() >>> 1); // this connection's channel
                statement.execute("LISTEN " + CHANNEL);
                statement.execute("LISTEN " + TIMED_CHANNEL);
                statement.execute("LISTEN " + own);
                PGConnection pg = listening.unwrap(PGConnection.class);
                boolean heard = false;
                long lastHeard = System.nanoTime(), nextBeat = lastHeard;
                while (running) {
                    if (System.nanoTime() - nextBeat >= 0) {
                        if (sendHeartbeats.getAsBoolean()) statement.execute("NOTIFY " + own);
                        nextBeat = System.nanoTime() + heartbeat.toNanos();
                    }
                    PGNotification[] notifications = pg.getNotifications((int) Math.max(1, heartbeat.toMillis() / 2));
                    for (PGNotification notification : notifications == null ? new PGNotification[0] : notifications) {
                        if (!notification.getName().equals(own)) {
                            deliver(notification);
                        } else {
                            lastHeard = System.nanoTime();
                            if (!heard) observer.feedRestored(); // trusted from the first heartbeat back
                            heard = true;
                        }
                    }
                    if (System.nanoTime() - lastHeard > deadline.toNanos()) {
                        throw new SQLException("its own notification did not come back within " + deadline.toMillis()
                                + " ms (a LISTEN behind a transaction-mode pooler hears nothing: see DATABASE_LISTEN_URL)");
                    }
                }
            } catch (SQLException | RuntimeException e) { // whatever stops the feed makes the cache untrusted
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

    /**
     * A revocation is sent on both channels: each evicts (twice is harmless), the timed one measures the lag.
     * Anyone who can connect may NOTIFY: a payload that cannot be handled ends this connection (the loop above
     * distrusts the cache and reconnects), so it can never leave the feed dead while the cache is trusted.
     */
    private void deliver(PGNotification notification) {
        String payload = notification.getParameter();
        int space = payload.indexOf(' ');
        if (!notification.getName().equals(TIMED_CHANNEL) || space < 0) {
            observer.keyRevoked(payload);
            return;
        }
        Instant sentAt;
        try {
            sentAt = Instant.EPOCH.plus(Long.parseLong(payload.substring(space + 1)), ChronoUnit.MICROS);
        } catch (NumberFormatException e) {
            observer.keyRevoked(payload.substring(0, space));
            return;
        }
        observer.keyRevoked(payload.substring(0, space), sentAt);
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        url.user().ifPresent(u -> properties.setProperty("user", u));
        url.password().ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("socketTimeout", "5"); // a heartbeat on a dead connection fails rather than hangs
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
