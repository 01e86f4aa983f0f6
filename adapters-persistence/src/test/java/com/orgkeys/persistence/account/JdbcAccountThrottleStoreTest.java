package com.orgkeys.persistence.account;

import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.AccountThrottle.SignInAttempt;
import com.orgkeys.application.account.port.out.AccountThrottleStore;
import com.orgkeys.application.account.service.SharedAccountThrottle;
import com.orgkeys.application.testing.MutableClock;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static com.orgkeys.application.account.service.SharedAccountThrottle.ATTEMPTS_PER_ACCOUNT_AND_ADDRESS;
import static com.orgkeys.application.account.service.SharedAccountThrottle.FAILURES_PER_ADDRESS;
import static com.orgkeys.application.account.service.SharedAccountThrottle.SIGN_UPS_PER_ADDRESS;
import static com.orgkeys.application.account.service.SharedAccountThrottle.SIGN_UP_INTERVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The throttle on PostgreSQL as several processes use it: two throttles, each with its own pool on one database,
 * racing from many threads, take exactly what one throttle may.
 */
class JdbcAccountThrottleStoreTest {
    private static final String HOME = "203.0.113.10";
    private static final int THREADS_PER_NODE = 24;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final DatabaseUrl url = TestPostgres.newDatabase();
    private final List<Database> pools = new ArrayList<>();
    private final AccountThrottle nodeA = node();
    private final AccountThrottle nodeB = node();

    private AccountThrottle node() {
        Database database = Database.connect(url, 8);
        pools.add(database);
        return new SharedAccountThrottle(new JdbcAccountThrottleStore(new Jdbc(database.dataSource())), clock);
    }

    @AfterEach
    void closePools() {
        pools.forEach(Database::close);
    }

    /**
     * Runs {@code attempt(i)} on both nodes from {@link #THREADS_PER_NODE} threads each, all released at once;
     * returns what each returned, empty when it was refused.
     */
    private <T> List<Optional<T>> race(IntFunction<Callable<T>> onA, IntFunction<Callable<T>> onB) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Optional<T>>> results = new ArrayList<>();
            for (int i = 0; i < 2 * THREADS_PER_NODE; i++) {
                Callable<T> attempt = i % 2 == 0 ? onA.apply(i) : onB.apply(i);
                results.add(pool.submit(() -> {
                    if (!start.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("never started");
                    try {
                        return Optional.of(attempt.call());
                    } catch (RateLimitedException refused) {
                        return Optional.<T>empty();
                    }
                }));
            }
            start.countDown();
            List<Optional<T>> done = new ArrayList<>();
            for (Future<Optional<T>> result : results) done.add(result.get(60, TimeUnit.SECONDS));
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> List<T> granted(List<Optional<T>> results) {
        return results.stream().flatMap(Optional::stream).toList();
    }

    /** A flood waiting on throttle rows holds at most CONCURRENT_UPDATES connections: the pool keeps serving. */
    @Test
    void a_flood_waiting_on_the_throttle_cannot_take_the_pool() throws Exception {
        Database database = Database.connect(url, 8);
        pools.add(database);
        Jdbc jdbc = new Jdbc(database.dataSource());
        AccountThrottle throttle = new SharedAccountThrottle(new JdbcAccountThrottleStore(jdbc), clock);
        ExecutorService flood = Executors.newFixedThreadPool(30);
        try (var blocker = TestPostgres.connect(url); var statement = blocker.createStatement();
             var watcher = TestPostgres.connect(url); var waiting = watcher.createStatement()) {
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE account_throttle IN EXCLUSIVE MODE"); // every update now waits
            List<Future<?>> attempts = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Email someone = new Email("flood" + i + "@example.com");
                attempts.add(flood.submit(() -> throttle.reserveSignIn(someone, HOME)));
            }
            String count = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int blocked = 0;
            while (blocked < JdbcAccountThrottleStore.CONCURRENT_UPDATES && System.nanoTime() < deadline) {
                try (var rows = waiting.executeQuery(count)) {
                    rows.next();
                    blocked = rows.getInt(1);
                }
            }
            assertEquals(JdbcAccountThrottleStore.CONCURRENT_UPDATES, blocked, "updates holding a connection");
            // 26 more attempts are queued, yet the pool of 8 still has connections for everything else
            assertEquals(List.of(1), jdbc.list("SELECT 1", row -> row.getInt(1)));
            try (var rows = waiting.executeQuery(count)) {
                rows.next();
                assertEquals(JdbcAccountThrottleStore.CONCURRENT_UPDATES, rows.getInt(1), "never more than the bound");
            }
            blocker.rollback();
            for (Future<?> attempt : attempts) {
                try {
                    attempt.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    // waited longer than its turn allows: 503, never a pool timeout or another error
                    assertEquals(com.orgkeys.domain.shared.UnavailableException.class, e.getCause().getClass(), e.toString());
                }
            }
        } finally {
            flood.shutdownNow();
        }
    }

    @Test
    void two_nodes_racing_on_one_account_from_one_address_hold_exactly_its_attempts_and_give_them_back() throws Exception {
        Email alice = new Email("alice@example.com");
        List<SignInAttempt> held = granted(race(i -> () -> nodeA.reserveSignIn(alice, HOME), i -> () -> nodeB.reserveSignIn(alice, HOME)));
        assertEquals(ATTEMPTS_PER_ACCOUNT_AND_ADDRESS, held.size());

        held.forEach(SignInAttempt::close); // no outcome: every reservation is given back, whichever node took it
        List<SignInAttempt> again = granted(race(i -> () -> nodeB.reserveSignIn(alice, HOME), i -> () -> nodeA.reserveSignIn(alice, HOME)));
        assertEquals(ATTEMPTS_PER_ACCOUNT_AND_ADDRESS, again.size());
        again.forEach(SignInAttempt::failed);
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> nodeA.reserveSignIn(alice, HOME));
        assertEquals(Duration.ofMinutes(3), refused.retryAfter());
    }

    @Test
    void two_nodes_racing_on_many_accounts_from_one_address_share_its_failure_limit() throws Exception {
        // three rounds of 48 attempts, each on its own account, against one address's 50
        List<SignInAttempt> held = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            int r = round;
            held.addAll(granted(race(i -> () -> nodeA.reserveSignIn(new Email("a" + r + "-" + i + "@example.com"), HOME),
                    i -> () -> nodeB.reserveSignIn(new Email("b" + r + "-" + i + "@example.com"), HOME))));
        }
        assertEquals(FAILURES_PER_ADDRESS, held.size());
        held.forEach(SignInAttempt::failed);
    }

    @Test
    void two_nodes_racing_on_sign_ups_from_one_address_admit_exactly_its_limit() throws Exception {
        List<Boolean> admitted = granted(race(i -> () -> {
            nodeA.reserveSignUp(HOME);
            return true;
        }, i -> () -> {
            nodeB.reserveSignUp(HOME);
            return true;
        }));
        assertEquals(SIGN_UPS_PER_ADDRESS, admitted.size());
    }

    @Test
    void the_store_refuses_to_join_a_transaction_of_its_caller() {
        Jdbc jdbc = new Jdbc(pools.getFirst().dataSource());
        JdbcAccountThrottleStore store = new JdbcAccountThrottleStore(jdbc);
        jdbc.inTransaction(() -> assertThrows(IllegalStateException.class,
                () -> store.update(List.of(new AccountThrottleStore.Key(1, 2)), clock.instant(), entries -> null)));
        assertEquals(0, jdbc.count("SELECT count(*) FROM account_throttle"));
    }

    @Test
    void expired_rows_are_deleted_a_batch_at_a_time_by_later_updates() {
        Jdbc jdbc = new Jdbc(pools.getFirst().dataSource());
        int rows = 2 * JdbcAccountThrottleStore.CLEANUP_BATCH + 50;
        for (int i = 0; i < rows; i++) nodeA.reserveSignUp("198.51.100." + (i % 250) + "/" + i);
        assertEquals(rows, jdbc.count("SELECT count(*) FROM account_throttle"));

        clock.advance(SIGN_UP_INTERVAL); // every one of those buckets is full again
        nodeB.reserveSignUp("192.0.2.1");
        assertEquals(rows - JdbcAccountThrottleStore.CLEANUP_BATCH + 1, jdbc.count("SELECT count(*) FROM account_throttle"));
        nodeB.reserveSignUp("192.0.2.2");
        nodeB.reserveSignUp("192.0.2.3");
        assertEquals(3, jdbc.count("SELECT count(*) FROM account_throttle"));
    }
}
