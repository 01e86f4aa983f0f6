package com.orgkeys.http.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A stopping node's last seconds: once {@link #drain()} has begun, {@code /readyz} answers 503 and every answer
 * closes its connection ({@link Router}), while the listener stays open and everything else is served as usual,
 * so that a load balancer checking readiness moves new work to other nodes before this one's port closes.
 */
public final class Draining {
    /** How often the wait looks at the clock: a test moves the application's clock instead of waiting. */
    private static final Duration POLL = Duration.ofMillis(50);

    private final Duration period;
    private final Clock clock;
    private volatile boolean started;

    public Draining(Duration period, Clock clock) {
        if (period.isNegative()) throw new IllegalArgumentException("negative drain period " + period);
        this.period = period;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Never drains: for servers without a shutdown sequence of their own (tests of the HTTP adapter). */
    public static Draining none() {
        return new Draining(Duration.ZERO, Clock.systemUTC());
    }

    public Duration period() {
        return period;
    }

    /** Whether the node is stopping. */
    public boolean started() {
        return started;
    }

    /** Marks the node as stopping, then returns once the period has passed on the clock (early if interrupted). */
    public void drain() {
        started = true;
        Instant end = clock.instant().plus(period);
        try {
            while (clock.instant().isBefore(end)) {
                Duration left = Duration.between(clock.instant(), end);
                Thread.sleep(left.compareTo(POLL) < 0 ? left.isNegative() ? Duration.ZERO : left : POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
