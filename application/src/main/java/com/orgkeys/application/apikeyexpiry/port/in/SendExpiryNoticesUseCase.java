package com.orgkeys.application.apikeyexpiry.port.in;

/**
 * Sends the webhook events about API keys' expiry (a background job, no caller): {@code apiKey.expiring} once per
 * key, {@link com.orgkeys.domain.apikey.ApiKey#EXPIRING_NOTICE_LEAD} before it expires, and {@code apiKey.expired}
 * once when it has; neither for a revoked (or deleted) key.
 */
public interface SendExpiryNoticesUseCase {
    Sent sendDue();

    /**
     * The events recorded by one run (a notice found due but not owed, such as the expiring notice of a key made
     * with a few days left, is settled without one); {@code skipped} when another node was running the job.
     */
    record Sent(int expiring, int expired, boolean skipped) {
        public static final Sent SKIPPED = new Sent(0, 0, true);
    }
}
