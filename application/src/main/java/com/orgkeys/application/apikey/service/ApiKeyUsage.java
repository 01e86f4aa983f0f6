package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.application.apikey.port.out.ApiKeyUsageRepository;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.KeyUseOutcome;

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
 * The waiting uses are in one flat table ({@link UsageTable}), not objects: with a million keys in rotation, a map's
 * entries lived seconds, long enough to be promoted, and filled the old generation until full collections of
 * 100–200 ms stalled every request. A flush swaps in the spare table, so recording goes on while it writes.
 * <p>
 * The same table counts every request by key, day (UTC) and outcome
 * ({@link #record(ApiKeyId, KeyUseOutcome, String, Instant)}): one entry per key and day holds its counts and its
 * latest use, flushed together (lastUsedAt, then the counts as additions to the stored ones: each node adds its own,
 * so the totals are exact sums across nodes).
 */
public final class ApiKeyUsage {
    /** At most 64 bytes × 1.25 per pending (key, day) in each of two tables: ~32 MB at most. */
    public static final int DEFAULT_MAX_PENDING = 200_000;
    /** Keys per {@link ApiKeyRepository#recordLastUsed} call: one chunk's objects exist at a time. */
    static final int FLUSH_CHUNK = 5_000;

    private final ApiKeyRepository keys;
    private final ApiKeyUsageRepository counts;
    private final int maxPending;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedCounts = new AtomicLong();
    private final AtomicBoolean flushRequested = new AtomicBoolean();
    private volatile Runnable flushSoon = () -> {
    };
    /** Guards {@link #recording}; a flush takes {@code flushing} first, so flushes never overlap. */
    private final Object lock = new Object();
    private final Object flushing = new Object();
    private UsageTable recording = new UsageTable();
    private UsageTable spare = new UsageTable();

    public ApiKeyUsage(ApiKeyRepository keys, ApiKeyUsageRepository counts) {
        this(keys, counts, DEFAULT_MAX_PENDING);
    }

    /** @param maxPending bounds the (key, day) entries waiting: counts and lastUsedAt */
    public ApiKeyUsage(ApiKeyRepository keys, ApiKeyUsageRepository counts, int maxPending) {
        if (maxPending < 2) throw new IllegalArgumentException("maxPending must be at least 2");
        this.keys = keys;
        this.counts = counts;
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
        long day = Math.floorDiv(at.getEpochSecond(), 86_400);
        boolean askForFlush = false;
        synchronized (lock) {
            if (!recording.contains(id, day)) {
                int size = recording.size();
                askForFlush = size >= maxPending / 2 && flushRequested.compareAndSet(false, true);
                if (size >= maxPending) { // not silently: counted, and the flusher reports it
                    dropped.incrementAndGet();
                    return false;
                }
            }
            recording.used(id, day, millis);
        }
        if (askForFlush) flushSoon.run();
        return true;
    }

    /**
     * Counts one request of the key under {@code outcome}, on {@code at}'s day (UTC); {@code address} (an IP literal,
     * or null) is kept as the key's last address when the request succeeded. False when it was not counted (too many
     * keys waiting). One call at each place a request is let through or refused.
     */
    public boolean record(ApiKeyId id, KeyUseOutcome outcome, String address, Instant at) {
        return count(id, outcome, 1, outcome == KeyUseOutcome.SUCCESS ? address : null, at);
    }

    /**
     * A request counted as {@link KeyUseOutcome#SUCCESS} when its key was verified, then refused after all (for
     * scope): it moves to {@code outcome}, so each request counts once.
     */
    public void refusedAfterSuccess(ApiKeyId id, KeyUseOutcome outcome, Instant at) {
        if (outcome == KeyUseOutcome.SUCCESS) throw new IllegalArgumentException("a refusal, not SUCCESS");
        if (count(id, outcome, 1, null, at)) count(id, KeyUseOutcome.SUCCESS, -1, null, at);
    }

    private boolean count(ApiKeyId id, KeyUseOutcome outcome, int delta, String address, Instant at) {
        long day = Math.floorDiv(at.getEpochSecond(), 86_400);
        long[] bits = address == null ? NO_ADDRESS : ClientAddress.bits(address);
        boolean askForFlush = false;
        synchronized (lock) {
            if (!recording.contains(id, day)) {
                int size = recording.size();
                askForFlush = size >= maxPending / 2 && flushRequested.compareAndSet(false, true);
                if (size >= maxPending) {
                    droppedCounts.incrementAndGet();
                    return false;
                }
            }
            recording.add(id, day, outcome, delta, bits[0], bits[1]);
        }
        if (askForFlush) flushSoon.run();
        return true;
    }

    private static final long[] NO_ADDRESS = new long[2];

    /**
     * Writes what was collected, a chunk at a time: its lastUsedAt first (writing one again is harmless), then its
     * counts (never written twice). On failure the entries not written are kept for the next flush (as room allows).
     */
    public void flush() {
        synchronized (flushing) {
            UsageTable batch;
            synchronized (lock) {
                flushRequested.set(false);
                if (recording.size() == 0) return;
                batch = recording;
                recording = spare;
            }
            try {
                batch.drain(FLUSH_CHUNK, chunk -> {
                    if (!chunk.lastUsed().isEmpty()) keys.recordLastUsed(chunk.lastUsed());
                    if (!chunk.counts().isEmpty()) counts.add(chunk.counts());
                });
            } catch (RuntimeException e) {
                flushRequested.set(true); // no early retry: the next flush on schedule tries again
                batch.forEach(this::putBack);
                throw e;
            } finally {
                batch.clear();
                spare = batch;
            }
        }
    }

    private void putBack(UsageTable.Entry entry) {
        var kept = entry.counts();
        Instant day = Instant.ofEpochSecond(kept.counts().day().toEpochDay() * 86_400);
        String address = kept.lastAddress().orElse(null);
        for (KeyUseOutcome outcome : KeyUseOutcome.values()) {
            long n = kept.counts().count(outcome);
            if (n != 0) count(kept.keyId(), outcome, (int) n, outcome == KeyUseOutcome.SUCCESS ? address : null, day);
        }
        if (address != null && kept.counts().success() == 0) count(kept.keyId(), KeyUseOutcome.SUCCESS, 0, address, day);
        entry.lastUsed().ifPresent(at -> record(kept.keyId(), at));
    }

    /** How many uses were not recorded since the last call because the pending table was full; resets to 0. */
    public long takeDropped() {
        return dropped.getAndSet(0);
    }

    /** How many requests were not counted since the last call because the pending counts were full; resets to 0. */
    public long takeDroppedCounts() {
        return droppedCounts.getAndSet(0);
    }

    /** (key, day) entries waiting for the next flush: uses and counts. */
    public int pending() {
        synchronized (lock) {
            return recording.size();
        }
    }

    /** As {@link #pending()}: counts wait in the same entries as uses. */
    public int pendingCounts() {
        return pending();
    }
}
