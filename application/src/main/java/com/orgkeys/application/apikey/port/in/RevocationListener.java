package com.orgkeys.application.apikey.port.in;

/**
 * Revocations made by any process that shares the database, fed to key verification so that a cached lookup
 * never outlives its key. While the feed is interrupted, verification must not trust anything cached.
 * A callback for the persistence adapter's LISTEN/NOTIFY feed (and organization deletion), not a use case:
 * it checks no caller and changes nothing but the cache.
 */
public interface RevocationListener {
    /**
     * A key with this secret hash was revoked, deleted, edited, disabled or enabled, in this process or another:
     * whatever is remembered of it is stale.
     */
    void keyRevoked(String secretHash);

    /** As {@link #keyRevoked(String)}, from a notification that says when the revoking transaction sent it. */
    void keyRevoked(String secretHash, java.time.Instant sentAt);

    /** Notifications may be missed from now on. */
    void feedInterrupted();

    /** Notifications flow again (anything revoked meanwhile is unknown: start from nothing). */
    void feedRestored();
}
