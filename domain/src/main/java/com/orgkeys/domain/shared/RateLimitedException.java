package com.orgkeys.domain.shared;

import java.time.Duration;
import java.util.Objects;

/** Too many attempts; the caller may try again after {@link #retryAfter()}. */
public final class RateLimitedException extends DomainException {
    private final Duration retryAfter;
    private final Quota quota;

    /**
     * The quota that was used up, for the caller to pace itself (HTTP's RateLimit-Policy and RateLimit fields).
     *
     * @param limit         requests per window
     * @param windowSeconds the window
     * @param remaining     requests left in this window
     */
    public record Quota(long limit, long windowSeconds, long remaining) {
    }

    public RateLimitedException(String message, Duration retryAfter) {
        this(message, retryAfter, null);
    }

    public RateLimitedException(String message, Duration retryAfter, Quota quota) {
        super(message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        this.quota = quota;
    }

    /** The quota, when the limit is one a client may know (an API key's); empty for anti-abuse throttles. */
    public java.util.Optional<Quota> quota() {
        return java.util.Optional.ofNullable(quota);
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
