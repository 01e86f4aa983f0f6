package com.orgkeys.application.apikey.service;

import com.orgkeys.domain.apikey.ApiKey;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Remembers key lookups by secret hash for a short time, so that a program sending thousands of requests a
 * second with one key costs the database a handful of lookups. It is only trusted while a revocation feed
 * (PostgreSQL LISTEN/NOTIFY) is connected: every revocation, in any process, evicts the key everywhere; when the
 * feed is down, every verification goes to the database. Expiry is checked on every request regardless.
 */
final class RecentKeyLookups {
    static final int MAX_ENTRIES = 100_000;

    private record Entry(Optional<ApiKey> key, long loadedAtNanos) {
    }

    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Bumped by every eviction: a lookup that raced with one is not cached (it may predate the revocation). */
    private final AtomicLong evictions = new AtomicLong();
    private volatile boolean trusted;

    RecentKeyLookups(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    Optional<ApiKey> get(String secretHash, Function<String, Optional<ApiKey>> load) {
        if (!trusted || ttlNanos <= 0) return load.apply(secretHash);
        long now = System.nanoTime();
        Entry entry = entries.get(secretHash);
        if (entry != null && now - entry.loadedAtNanos() < ttlNanos) return entry.key();
        long generation = evictions.get();
        Optional<ApiKey> key = load.apply(secretHash);
        if (entries.size() >= MAX_ENTRIES) entries.clear(); // bounded memory whatever callers send
        if (trusted && evictions.get() == generation) entries.put(secretHash, new Entry(key, now));
        return key;
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
