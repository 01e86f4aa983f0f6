package com.orgkeys.persistence.account;

import com.orgkeys.application.account.port.out.AccountThrottleStore;
import com.orgkeys.domain.shared.UnavailableException;
import com.orgkeys.persistence.database.Jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The throttle's entries in one table, shared by every process. An update is one short transaction of two
 * statements: lock (or create) the rows of its keys in key order with one upsert, so that concurrent updates wait
 * for each other and never deadlock; decide; then write what changed and delete up to {@link #CLEANUP_BATCH}
 * expired rows, whatever their key.
 */
public final class JdbcAccountThrottleStore implements AccountThrottleStore {
    /** Expired rows deleted per update, at most: more than an update can create, so the table never grows for good. */
    static final int CLEANUP_BATCH = 100;

    /**
     * Updates holding a pool connection at once: a flood of attempts on one account queues on its row lock, and
     * queued here instead, it cannot take the pool from everything else.
     */
    static final int CONCURRENT_UPDATES = 4;
    static final Duration WAIT_FOR_TURN = Duration.ofSeconds(2);

    private final Jdbc jdbc;
    private final Semaphore updates = new Semaphore(CONCURRENT_UPDATES, true);

    public JdbcAccountThrottleStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    private record Row(Key key, Entry entry) {
    }

    @Override
    public <T> T update(Collection<Key> keys, Instant now, Function<Map<Key, Entry>, T> change) {
        // joined to a caller's transaction, its locks would be held, and its commit made asynchronous, with that one
        if (jdbc.insideTransaction()) throw new IllegalStateException("the throttle must be called outside any transaction");
        List<String> ids = keys.stream().distinct().map(key -> new UUID(key.high(), key.low()).toString()).toList();
        long nowMillis = now.toEpochMilli();
        try {
            if (!updates.tryAcquire(WAIT_FOR_TURN.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new UnavailableException("too many sign-in checks at once", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for a sign-in check", e);
        }
        try {
            return locked(ids, now, nowMillis, change);
        } finally {
            updates.release();
        }
    }

    private <T> T locked(List<String> ids, Instant now, long nowMillis, Function<Map<Key, Entry>, T> change) {
        return jdbc.inTransaction(() -> {
            // the rules assume each statement sees the rows as committed: whatever the server's default level
            jdbc.update("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
            // a counter lost in a database crash costs nothing worth a disk flush on every sign-in
            jdbc.update("SET LOCAL synchronous_commit = off");
            // a new key gets an expired placeholder row: absent to the throttle, and locked like any other
            List<Row> rows = jdbc.list("""
                    INSERT INTO account_throttle AS t (key, state, expires_at)
                    SELECT k, '{}', 'epoch' FROM unnest(?::uuid[]) AS k ORDER BY k
                    ON CONFLICT (key) DO UPDATE SET state = t.state
                    RETURNING t.key, t.state, (extract(epoch FROM t.expires_at) * 1000)::bigint AS expires_millis""",
                    JdbcAccountThrottleStore::row, ids);
            Map<Key, Entry> before = new HashMap<>();
            for (Row row : rows) if (row.entry().expiresAt().toEpochMilli() > nowMillis) before.put(row.key(), row.entry());
            Map<Key, Entry> after = new HashMap<>(before);
            T result = change.apply(after); // a refusal throws: the transaction rolls back, placeholders included

            List<String> changed = new ArrayList<>();
            List<String> states = new ArrayList<>();
            List<Long> expiries = new ArrayList<>();
            List<String> deleted = new ArrayList<>();
            for (Row row : rows) {
                Entry entry = after.get(row.key());
                if (entry == null || !entry.expiresAt().isAfter(now)) {
                    deleted.add(id(row.key()));
                } else if (!entry.equals(before.get(row.key()))) {
                    changed.add(id(row.key()));
                    states.add(Arrays.stream(entry.values()).mapToObj(Long::toString).collect(Collectors.joining(",", "{", "}")));
                    expiries.add(entry.expiresAt().toEpochMilli());
                }
            }
            // one statement: the changes, then up to CLEANUP_BATCH expired rows of other keys, never waiting for
            // one that another update holds (a row may be changed by only one part of a statement: hence "other")
            jdbc.update("""
                    WITH changed AS (
                        UPDATE account_throttle AS t
                           SET state = u.state::bigint[],
                               expires_at = 'epoch'::timestamptz + u.expires * interval '1 millisecond'
                          FROM unnest(?::uuid[], ?::text[], ?::bigint[]) AS u(key, state, expires)
                         WHERE t.key = u.key),
                    gone AS (
                        DELETE FROM account_throttle WHERE key = ANY(?::uuid[]))
                    DELETE FROM account_throttle WHERE key IN (
                        SELECT key FROM account_throttle
                         WHERE expires_at <= 'epoch'::timestamptz + ?::bigint * interval '1 millisecond'
                           AND key <> ALL(?::uuid[])
                         ORDER BY expires_at LIMIT ?
                           FOR UPDATE SKIP LOCKED)""",
                    changed, states, expiries, deleted, nowMillis, ids, CLEANUP_BATCH);
            return result;
        });
    }

    private static String id(Key key) {
        return new UUID(key.high(), key.low()).toString();
    }

    private static Row row(java.sql.ResultSet row) throws java.sql.SQLException {
        UUID key = row.getObject("key", UUID.class);
        Long[] state = (Long[]) row.getArray("state").getArray();
        long[] values = new long[state.length];
        for (int i = 0; i < state.length; i++) values[i] = state[i];
        return new Row(new Key(key.getMostSignificantBits(), key.getLeastSignificantBits()),
                new Entry(values, Instant.ofEpochMilli(row.getLong("expires_millis"))));
    }
}
