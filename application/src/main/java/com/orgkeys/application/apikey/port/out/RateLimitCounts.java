package com.orgkeys.application.apikey.port.out;

import com.orgkeys.domain.apikey.ApiKeyId;

/**
 * The uses of rate-limited keys counted by every process that shares the database, per fixed window. Called by a
 * process once per batch of uses (a share of the limit), never once per request.
 */
public interface RateLimitCounts {
    /**
     * Adds {@code uses} to the key's count in the window that starts at {@code windowStart} (seconds since the epoch)
     * and returns the count of all processes in that window now, this batch included. Counts of the key's earlier
     * windows may be dropped meanwhile.
     */
    long add(ApiKeyId key, long windowStart, long uses);
}
