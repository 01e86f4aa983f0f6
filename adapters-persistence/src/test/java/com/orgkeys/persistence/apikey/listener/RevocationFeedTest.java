package com.orgkeys.persistence.apikey.listener;

import com.orgkeys.application.apikey.port.in.RevocationListener;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feed is trusted only once its own heartbeat came back, and a feed that stops hearing it (a half-open
 * connection, a LISTEN behind a transaction-mode pooler) stops being trusted within its deadline.
 */
class RevocationFeedTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final Duration DEADLINE = Duration.ofMillis(400);

    /** What the feed told verification, in order. */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final RevocationListener listener = new RevocationListener() {
        @Override
        public void keyRevoked(String secretHash) {
            events.add("revoked " + secretHash);
        }

        @Override
        public void keyRevoked(String secretHash, Instant sentAt) {
            events.add("revoked " + secretHash);
        }

        @Override
        public void feedInterrupted() {
            events.add("interrupted");
        }

        @Override
        public void feedRestored() {
            events.add("restored");
        }
    };

    @Test
    void trusted_once_its_heartbeat_came_back_and_revocations_arrive() throws Exception {
        DatabaseUrl url = TestPostgres.newDatabase();
        try (RevocationFeed feed = new RevocationFeed(url, listener, HEARTBEAT, DEADLINE, () -> true)) {
            await(() -> events.contains("restored"));
            try (Connection connection = TestPostgres.connect(url); Statement sql = connection.createStatement()) {
                sql.execute("NOTIFY " + RevocationFeed.CHANNEL + ", 'abc123'");
            }
            await(() -> events.contains("revoked abc123"));
            assertEquals("restored", events.getFirst());
            assertTrue(!events.contains("interrupted"), events.toString());
        }
    }

    @Test
    void a_feed_that_hears_nothing_is_never_trusted_and_one_that_stops_hearing_is_distrusted() throws Exception {
        DatabaseUrl url = TestPostgres.newDatabase();
        try (RevocationFeed deaf = new RevocationFeed(url, listener, HEARTBEAT, DEADLINE, () -> false)) {
            await(() -> events.contains("interrupted"));
            assertTrue(!events.contains("restored"), "trusted without ever hearing itself: " + events);
        }
        events.clear();
        AtomicBoolean beating = new AtomicBoolean(true);
        try (RevocationFeed feed = new RevocationFeed(url, listener, HEARTBEAT, DEADLINE, beating::get)) {
            await(() -> events.contains("restored"));
            beating.set(false); // its notifications stop coming back, the connection still looks fine
            await(() -> events.contains("interrupted"));
            assertEquals(List.of("restored", "interrupted"), events.subList(0, 2));
        }
    }

    /** Polls until {@code condition} holds, for at most 10 s. */
    private void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out; events: " + events);
            Thread.sleep(10);
        }
    }
}
