package com.orgkeys.application.apikey.port.out;

import java.time.Duration;

/**
 * What key verification reports about itself (for metrics): each outcome, its lookup cache, and the revocation
 * feed that keeps the cache honest. Called on the verification path: implementations must be cheap and never
 * block. Nothing here carries a key id or secret.
 */
public interface ApiKeyVerificationObserver {
    enum Outcome {
        /** An active key. */
        VALID,
        /** Not shaped like a key at all (length, prefix, characters). */
        MALFORMED,
        /** Shaped like a key, but its checksum is wrong: a typo or a truncated paste. */
        BAD_CHECKSUM,
        /** A well-formed key that no organization has. */
        UNKNOWN,
        REVOKED,
        EXPIRED,
        /** A key disabled (reversibly) by its organization. */
        DISABLED,
        /** A valid key refused an operation its scopes do not allow. */
        INSUFFICIENT_SCOPE,
        /** An active key used from an address its IP allowlist does not hold. */
        ADDRESS_REFUSED,
        /** An active key over its rate limit. */
        RATE_LIMITED
    }

    void verified(Outcome outcome);

    /** A verification was answered from the lookup cache. */
    void cacheHit();

    /** A verification looked its key up in the database (not cached, expired, or the cache not trusted). */
    void cacheMiss();

    /** The revocation feed is connected: notifications flow. */
    void feedConnected();

    /** The revocation feed is down (may be reported again while it stays down). */
    void feedDisconnected();

    /** A revocation reached this process {@code lag} after the revoking transaction sent it. */
    void revocationApplied(Duration lag);

    /** Observes nothing: for tests and for wiring without metrics. */
    ApiKeyVerificationObserver NONE = new ApiKeyVerificationObserver() {
        @Override
        public void verified(Outcome outcome) {
        }

        @Override
        public void cacheHit() {
        }

        @Override
        public void cacheMiss() {
        }

        @Override
        public void feedConnected() {
        }

        @Override
        public void feedDisconnected() {
        }

        @Override
        public void revocationApplied(Duration lag) {
        }
    };
}
