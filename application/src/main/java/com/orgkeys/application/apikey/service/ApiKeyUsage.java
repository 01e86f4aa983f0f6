package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.domain.apikey.ApiKeyId;

import java.time.Instant;
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

    public void record(ApiKeyId id, Instant at) {
        pending.merge(id, at, (a, b) -> a.isAfter(b) ? a : b);
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
