package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.ApiKeyVerificationObserver;
import com.orgkeys.domain.apikey.ApiKey;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Remembers key lookups by secret hash for a short time, so that a program sending thousands of requests a
 * second with one key costs the database a handful of lookups. It is only trusted while a revocation feed
 * (PostgreSQL LISTEN/NOTIFY) is connected: every revocation, in any process, evicts the key everywhere; when the
 * feed is down, every verification goes to the database. Expiry is checked on every request regardless.
 * <p>
 * Only keys that exist are remembered: anyone can send well-formed unknown keys, as many as they like, and they
 * must never push out the keys of real programs. When full, expired entries make room; if none has expired, a
 * new key is simply not remembered (it is looked up each time) rather than forgetting live ones.
 */
final class RecentKeyLookups {
    static final int MAX_ENTRIES = 100_000;

    private record Entry(ApiKey key, long loadedAtNanos) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final ApiKeyVerificationObserver observer;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Bumped by every eviction: a lookup that raced with one is not cached (it may predate the revocation). */
    private final AtomicLong evictions = new AtomicLong();
    /**
     * When a full map may next be swept for expired entries: not before its oldest entry expires, and at most ten
     * times per TTL, so that a map full of live entries is not swept on every request.
     */
    private final AtomicLong nextSweepNanos;
    private volatile boolean trusted;

    RecentKeyLookups(Duration ttl, ApiKeyVerificationObserver observer) {
        this(ttl, MAX_ENTRIES, System::nanoTime, observer);
    }

    RecentKeyLookups(Duration ttl, int maxEntries, LongSupplier nanoTime) {
        this(ttl, maxEntries, nanoTime, ApiKeyVerificationObserver.NONE);
    }

    RecentKeyLookups(Duration ttl, int maxEntries, LongSupplier nanoTime, ApiKeyVerificationObserver observer) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
        this.observer = observer;
        this.nextSweepNanos = new AtomicLong(nanoTime.getAsLong());
    }

    Optional<ApiKey> get(String secretHash, Function<String, Optional<ApiKey>> load) {
        if (!trusted || ttlNanos <= 0) {
            observer.cacheMiss();
            return load.apply(secretHash);
        }
        long now = nanoTime.getAsLong();
        Entry entry = entries.get(secretHash);
        if (entry != null && now - entry.loadedAtNanos() < ttlNanos) {
            observer.cacheHit();
            return Optional.of(entry.key());
        }
        observer.cacheMiss();
        long generation = evictions.get();
        Optional<ApiKey> key = load.apply(secretHash);
        if (key.isPresent() && trusted && evictions.get() == generation && hasRoomFor(secretHash, now)) {
            entries.put(secretHash, new Entry(key.get(), now));
        }
        return key;
    }

    /** Bounded memory whatever callers send, without ever dropping an entry that is still fresh. */
    private boolean hasRoomFor(String secretHash, long now) {
        if (entries.size() < maxEntries || entries.containsKey(secretHash)) return true;
        long next = nextSweepNanos.get();
        if (now - next >= 0 && nextSweepNanos.compareAndSet(next, now + ttlNanos)) {
            entries.values().removeIf(e -> now - e.loadedAtNanos() >= ttlNanos);
            long oldest = entries.values().stream().mapToLong(Entry::loadedAtNanos).reduce(now, (a, b) -> a - b < 0 ? a : b);
            long oldestExpires = oldest + ttlNanos, soonest = now + ttlNanos / 10;
            nextSweepNanos.set(oldestExpires - soonest > 0 ? oldestExpires : soonest); // nanoTime may wrap: compare differences
        }
        return entries.size() < maxEntries;
    }

    int size() {
        return entries.size();
    }

    void evict(String secretHash) {
        evictions.incrementAndGet();
        entries.remove(secretHash);
    }

    void distrust() {
        trusted = false;
        evictions.incrementAndGet();
        entries.clear();
    }

    void trust() {
        evictions.incrementAndGet();
        entries.clear();
        trusted = true;
    }
}
