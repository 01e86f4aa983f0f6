package com.orgkeys.bootstrap.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real clock, moved ahead when a test says so: a test that needs time to pass (a key to expire) advances it
 * instead of waiting. It keeps running between advances, unlike a clock that stands still, because a whole server
 * orders what it lists by creation time.
 */
public final class TestClock extends Clock {
    private final Clock real = Clock.systemUTC();
    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    public void advance(Duration duration) {
        if (duration.isNegative()) throw new IllegalArgumentException("time does not go back: " + duration);
        ahead.accumulateAndGet(duration, Duration::plus);
    }

    @Override
    public Instant instant() {
        return real.instant().plus(ahead.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the application uses instants only");
    }
}
