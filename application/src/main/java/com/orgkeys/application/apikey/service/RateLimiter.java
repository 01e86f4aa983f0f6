package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.RateLimitCounts;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.RateLimit;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-key rate limits shared by every process, without a database write per request. Each process counts a key's
 * uses of the current (fixed, epoch-aligned) window locally and reports them in batches of {@link #SHARE} of the
 * limit, learning the total of all processes from each report. A use is refused once the total it knows (a lower
 * bound of the true one) plus its own unreported uses reaches the limit, so no process refuses early; each process
 * admits at most one batch beyond what it learned at its last report, so N processes admit at most
 * {@code limit + N × max(1, ⌊SHARE × limit⌋)} (+ the requests in flight during a report): for a limit of 100 or
 * more, 9 % over with three processes; below, at most N uses over. Limits below {@code 1 / SHARE} report every
 * admitted use (never more writes than the limit per window); refusals never write.
 * <p>
 * When the database cannot be reached, the uses stay unreported and each process still enforces the limit on its
 * own uses: a key is never unlimited, at worst N times its limit.
 */
final class RateLimiter {
    /** The part of a limit one process may admit before it reports to the others. */
    static final double SHARE = 0.03;
    /** Windows remembered before those that ended are swept out. */
    private static final int SWEEP_AT = 10_000;

    /** The outcome of one use: admitted or not, and what the RateLimit header fields say. */
    record Decision(boolean admitted, RateLimit limit, long remaining, long resetSeconds) {
    }

    private final RateLimitCounts counts;
    private final Map<ApiKeyId, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong();

    RateLimiter(RateLimitCounts counts) {
        this.counts = counts;
    }

    private static final class Window {
        final long start;
        final RateLimit limit;
        final long batch;
        /**
         * What this process counts against the limit: the total of all processes as of its last report, plus its own
         * uses since. One counter, so that a report folds what it learned in with one atomic add: a take never sees
         * the new total without this process's unreported uses, or with them twice.
         */
        final AtomicLong used = new AtomicLong();
        /** The total of all processes as of this process's last report; written under {@link #reporting} only. */
        volatile long known;
        final ReentrantLock reporting = new ReentrantLock();

        Window(long start, RateLimit limit) {
            this.start = start;
            this.limit = limit;
            this.batch = Math.max(1, (long) Math.floor(limit.requests() * SHARE));
        }

        long end() {
            return start + limit.windowSeconds();
        }
    }

    Decision take(ApiKeyId key, RateLimit limit, Instant now) {
        long second = now.getEpochSecond();
        long start = Math.floorDiv(second, limit.windowSeconds()) * limit.windowSeconds();
        Window window = windows.get(key);
        if (window == null || window.start != start || !window.limit.equals(limit)) {
            // at most once a second: with many live windows, a sweep per new window would scan them all each time
            long last = lastSweep.get();
            if (windows.size() >= SWEEP_AT && last != second && lastSweep.compareAndSet(last, second)) {
                windows.values().removeIf(w -> w.end() <= second);
            }
            window = windows.compute(key, (k, w) -> w != null && w.start == start && w.limit.equals(limit) ? w
                    : new Window(start, limit));
        }
        long reset = Math.max(1, window.end() - second);
        long used = window.used.incrementAndGet();
        if (used > limit.requests()) {
            window.used.decrementAndGet(); // a refused use is not a use
            return new Decision(false, limit, 0, reset);
        }
        if (used - window.known >= window.batch && window.reporting.tryLock()) {
            try {
                report(key, window);
            } finally {
                window.reporting.unlock();
            }
        }
        return new Decision(true, limit, Math.max(0, limit.requests() - used), reset);
    }

    private void report(ApiKeyId key, Window window) {
        long known = window.known;
        long uses = window.used.get() - known; // this process's uses since its last report
        if (uses <= 0) return;
        long total;
        try {
            total = counts.add(key, window.start, uses);
        } catch (RuntimeException databaseDown) {
            return; // kept unreported: the next batch tries again; meanwhile this process limits its own uses
        }
        long others = Math.max(0, total - known - uses); // the other processes' uses since this one's last report
        window.used.addAndGet(others);
        window.known = known + uses + others;
    }
}
