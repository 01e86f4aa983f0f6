package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.domain.apikey.ApiKeyId;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects "key was used at" in memory and writes it in batches, so that verifying a key costs one indexed
 * read and no write. The application flushes every few seconds and on shutdown; lastUsedAt is therefore at
 * most one flush interval behind.
 * <p>
 * Bounded whatever the number of keys in use: at half of {@code maxPending} keys it asks for a flush now
 * ({@link #whenFilling}); if the table is full all the same (the database slow or down), a key not yet pending is
 * not recorded until the next flush makes room, and {@link #takeDropped()} says how many were not. A key already
 * pending always gets its latest time.
 * <p>
 * The waiting keys are in flat tables ({@link UseTable}), not objects: with a million keys in rotation, a map's
 * entries lived seconds, long enough to be promoted, and filled the old generation until full collections of
 * 100–200 ms stalled every request. A flush swaps in the spare table, so recording goes on while it writes.
 */
public final class ApiKeyUsage {
    /** At most 24 bytes × 1.25 per pending key in each of two tables: ~12 MB at most. */
    public static final int DEFAULT_MAX_PENDING = 200_000;
    /** Keys per {@link ApiKeyRepository#recordLastUsed} call: one chunk's objects exist at a time. */
    static final int FLUSH_CHUNK = 5_000;

    private final ApiKeyRepository keys;
    private final int maxPending;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean flushRequested = new AtomicBoolean();
    private volatile Runnable flushSoon = () -> {
    };
    /** Guards {@link #recording}; a flush takes {@code flushing} first, so flushes never overlap. */
    private final Object lock = new Object();
    private final Object flushing = new Object();
    private UseTable recording = new UseTable();
    private UseTable spare = new UseTable();

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

    /** Keeps the latest time per key, to the millisecond; false when the key was not taken (the table full). */
    public boolean record(ApiKeyId id, Instant at) {
        long millis = at.toEpochMilli(); // floors to the millisecond
        boolean askForFlush = false;
        synchronized (lock) {
            if (!recording.contains(id)) {
                int size = recording.size();
                askForFlush = size >= maxPending / 2 && flushRequested.compareAndSet(false, true);
                if (size >= maxPending) { // not silently: counted, and the flusher reports it
                    dropped.incrementAndGet();
                    return false;
                }
            }
            recording.put(id, millis);
        }
        if (askForFlush) flushSoon.run();
        return true;
    }

    /** Writes what was collected; on failure the entries are kept for the next flush (as room allows). */
    public void flush() {
        synchronized (flushing) {
            UseTable batch;
            synchronized (lock) {
                flushRequested.set(false);
                if (recording.size() == 0) return;
                batch = recording;
                recording = spare;
            }
            try {
                batch.drain(FLUSH_CHUNK, keys::recordLastUsed);
            } catch (RuntimeException e) {
                flushRequested.set(true); // no early retry: the next flush on schedule tries again
                batch.forEach((id, millis) -> record(id, Instant.ofEpochMilli(millis)));
                throw e;
            } finally {
                batch.clear();
                spare = batch;
            }
        }
    }

    /** How many uses were not recorded since the last call because the pending table was full; resets to 0. */
    public long takeDropped() {
        return dropped.getAndSet(0);
    }

    /** Keys waiting for the next flush. */
    public int pending() {
        synchronized (lock) {
            return recording.size();
        }
    }
}
