package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.domain.apikey.ApiKeyId;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects "key was used at" in memory and writes it in batches, so that verifying a key costs one indexed
 * read and no write. The application flushes every few seconds and on shutdown; lastUsedAt is therefore at
 * most one flush interval behind.
 * <p>
 * Bounded whatever the number of keys in use: at half of {@code maxPending} keys it asks for a flush now
 * ({@link #whenFilling}); if the map is full all the same (the database slow or down), a key not yet pending is
 * not recorded until the next flush makes room, and {@link #takeDropped()} says how many were not. A key already
 * pending always gets its latest time.
 */
public final class ApiKeyUsage {
    /** About 100 bytes per pending key in the map: ~20 MB at most. */
    public static final int DEFAULT_MAX_PENDING = 200_000;

    private final ApiKeyRepository keys;
    private final int maxPending;
    private final Map<ApiKeyId, Instant> pending = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean flushRequested = new AtomicBoolean();
    private volatile Runnable flushSoon = () -> {
    };

    public ApiKeyUsage(ApiKeyRepository keys) {
        this(keys, DEFAULT_MAX_PENDING);
    }

    public ApiKeyUsage(ApiKeyRepository keys, int maxPending) {
        if (maxPending < 2) throw new IllegalArgumentException("maxPending must be at least 2");
        this.keys = keys;
        this.maxPending = maxPending;
    }

    /**
     * {@code flushSoon} is run (once until the next flush) when half of the pending room is taken: it must only
     * schedule a {@link #flush()} elsewhere, as it runs on a verifying request's thread.
     */
    public void whenFilling(Runnable flushSoon) {
        this.flushSoon = flushSoon;
    }

    /**
     * Keeps the latest time per key, to the millisecond. A busy key is used many times per millisecond, and then a
     * plain read sees that the time is already there: no write, and no lock on the map's entry (merge locks it,
     * and with every request of a busy key merging into the same entry, its callers queued on that lock).
     */
    public boolean record(ApiKeyId id, Instant at) {
        Instant millis = at.truncatedTo(ChronoUnit.MILLIS);
        Instant known = pending.get(id);
        if (known != null && !millis.isAfter(known)) return true;
        if (known == null) {
            long size = pending.size();
            if (size >= maxPending / 2 && flushRequested.compareAndSet(false, true)) flushSoon.run();
            if (size >= maxPending) { // not silently: counted, and the flusher reports it
                dropped.incrementAndGet();
                return false;
            }
        }
        pending.merge(id, millis, (a, b) -> a.isAfter(b) ? a : b);
        return true;
    }

    /** Writes what was collected; on failure the entries are kept for the next flush (as room allows). */
    public void flush() {
        flushRequested.set(false);
        if (pending.isEmpty()) return;
        Map<ApiKeyId, Instant> batch = new HashMap<>();
        for (ApiKeyId id : pending.keySet()) {
            Instant at = pending.remove(id);
            if (at != null) batch.put(id, at);
        }
        try {
            keys.recordLastUsed(batch);
        } catch (RuntimeException e) {
            flushRequested.set(true); // no early retry: the next flush on schedule tries again
            batch.forEach(this::record);
            throw e;
        }
    }

    /** How many uses were not recorded since the last call because the pending map was full; resets to 0. */
    public long takeDropped() {
        return dropped.getAndSet(0);
    }

    /** Keys waiting for the next flush. */
    public int pending() {
        return pending.size();
    }
}
