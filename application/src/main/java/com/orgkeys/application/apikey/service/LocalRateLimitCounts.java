package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.RateLimitCounts;
import com.orgkeys.domain.apikey.ApiKeyId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts of this process only: for a single process without a shared database (tests, embedded use). */
public final class LocalRateLimitCounts implements RateLimitCounts {
    private record Slot(ApiKeyId key, long windowStart) {
    }

    private final Map<Slot, Long> counts = new ConcurrentHashMap<>();

    @Override
    public long add(ApiKeyId key, long windowStart, long uses) {
        counts.keySet().removeIf(slot -> slot.key().equals(key) && slot.windowStart() < windowStart);
        return counts.merge(new Slot(key, windowStart), uses, Long::sum);
    }
}
