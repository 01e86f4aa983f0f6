package com.orgkeys.domain.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: the schedule svix uses (the first attempt at once, then after 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h and 10 h), each wait plus up to a tenth more at random so that the retries of many
 * deliveries to one receiver coming back up spread out. Eight attempts over about 28 hours.
 */
public final class WebhookRetrySchedule {
    public static final List<Duration> WAITS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
    public static final int MAX_ATTEMPTS = WAITS.size() + 1;

    private WebhookRetrySchedule() {
    }

    /** After {@code attempts} failed attempts: when to try again, or empty to give up. */
    public static Optional<Instant> nextAttempt(int attempts, Instant now, RandomGenerator random) {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be ≥ 1");
        if (attempts >= MAX_ATTEMPTS) return Optional.empty();
        long wait = WAITS.get(attempts - 1).toMillis();
        return Optional.of(now.plusMillis(wait + random.nextLong(wait / 10 + 1)));
    }
}
