package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.domain.apikey.ApiKeyId;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects "key was used at" in memory and writes it in batches, so that verifying a key costs one indexed
 * read and no write. The application flushes every few seconds and on shutdown; lastUsedAt is therefore at
 * most one flush interval behind.
 */
public final class ApiKeyUsage {
    private final ApiKeyRepository keys;
    private final Map<ApiKeyId, Instant> pending = new ConcurrentHashMap<>();

    public ApiKeyUsage(ApiKeyRepository keys) {
        this.keys = keys;
    }

    /**
     * Keeps the latest time per key, to the millisecond. A busy key is used many times per millisecond, and then a
     * plain read sees that the time is already there: no write, and no lock on the map's entry (merge locks it,
     * and with every request of a busy key merging into the same entry, its callers queued on that lock).
     */
    public void record(ApiKeyId id, Instant at) {
        Instant millis = at.truncatedTo(ChronoUnit.MILLIS);
        Instant known = pending.get(id);
        if (known != null && !millis.isAfter(known)) return;
        pending.merge(id, millis, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Writes what was collected; on failure the entries are kept for the next flush. */
    public void flush() {
        if (pending.isEmpty()) return;
        Map<ApiKeyId, Instant> batch = new HashMap<>();
        for (ApiKeyId id : pending.keySet()) {
            Instant at = pending.remove(id);
            if (at != null) batch.put(id, at);
        }
        try {
            keys.recordLastUsed(batch);
        } catch (RuntimeException e) {
            batch.forEach(this::record);
            throw e;
        }
    }
}
