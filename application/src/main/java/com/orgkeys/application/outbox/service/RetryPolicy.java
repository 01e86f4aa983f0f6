package com.orgkeys.application.outbox.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: after the n-th failed attempt, wait {@code firstDelay·2^(n-1)} (at most
 * {@code maxDelay}) plus up to a quarter more at random, so that retries of many messages spread out; after
 * {@code maxAttempts} failures, give up.
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay) {
    /** 10 attempts over about a day: 3 min, 6, 12, … capped at 8 h (≈ 21 h before the last, plus jitter). */
    public static final RetryPolicy DEFAULT = new RetryPolicy(10, Duration.ofMinutes(3), Duration.ofHours(8));

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be ≥ 1");
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("0 ≤ firstDelay ≤ maxDelay");
        }
    }

    /** When to try again after {@code attempts} failed ones; empty: give up. */
    public Optional<Instant> nextAttempt(int attempts, Instant now, RandomGenerator random) {
        if (attempts >= maxAttempts) return Optional.empty();
        long base = firstDelay.toMillis();
        int shift = Math.min(attempts - 1, 40);
        long delay = Math.min(maxDelay.toMillis(), base << shift);
        if (delay < 0 || (shift > 0 && (base << shift) >> shift != base)) delay = maxDelay.toMillis(); // overflow
        long jitter = delay / 4 == 0 ? 0 : random.nextLong(delay / 4 + 1);
        return Optional.of(now.plusMillis(delay + jitter));
    }
}
