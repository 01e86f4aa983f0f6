package com.orgkeys.application.apikey.service;

import com.orgkeys.domain.apikey.ApiKey;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers key lookups by secret hash for a very short time, so that a program sending thousands of requests
 * a second with one key costs the database a handful of lookups, not thousands. The time bounds how long a
 * revocation made by another process can go unnoticed here; revocations in this process evict at once.
 * Expiry is still checked on every request against the current time.
 */
final class RecentKeyLookups {
    static final int MAX_ENTRIES = 100_000;

    private record Entry(Optional<ApiKey> key, long loadedAtNanos) {
    }

    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    RecentKeyLookups(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    Optional<ApiKey> get(String secretHash, Function<String, Optional<ApiKey>> load) {
        if (ttlNanos <= 0) return load.apply(secretHash);
        long now = System.nanoTime();
        Entry entry = entries.get(secretHash);
        if (entry != null && now - entry.loadedAtNanos() < ttlNanos) return entry.key();
        Optional<ApiKey> key = load.apply(secretHash);
        if (entries.size() >= MAX_ENTRIES) entries.clear(); // bounded memory whatever callers send
        entries.put(secretHash, new Entry(key, now));
        return key;
    }

    void evict(String secretHash) {
        entries.remove(secretHash);
    }
}
