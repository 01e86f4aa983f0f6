package com.orgkeys.http.dashboard;

import com.orgkeys.http.dashboard.PageModels.When;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times as the dashboard shows them: "3 minutes ago", "in 6 days", with the exact UTC time for the {@code title} and
 * the ISO instant for {@code <time datetime>}. Rendered on the server, so pages need no script for it.
 */
final class RelativeTime {
    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final long MINUTE = 60, HOUR = 60 * MINUTE, DAY = 24 * HOUR, MONTH = 30 * DAY, YEAR = 365 * DAY;

    private final Clock clock;

    RelativeTime(Clock clock) {
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** {@code instant} as of now; {@code none} (e.g. "never") when there is no instant. */
    When when(Instant instant, String none) {
        return instant == null ? When.none(none) : when(instant, clock.instant());
    }

    static When when(Instant instant, Instant now) {
        return new When(instant.toString(), EXACT.format(instant), describe(instant, now));
    }

    /** Whole units, rounded down (so "59 minutes ago" until the hour is full); under a minute is "just now". */
    static String describe(Instant instant, Instant now) {
        long seconds = Duration.between(instant, now).toSeconds();
        boolean future = seconds < 0;
        long distance = Math.abs(seconds);
        if (distance < MINUTE) return future ? "in a few seconds" : "just now";
        String amount;
        if (distance < HOUR) amount = count(distance / MINUTE, "minute");
        else if (distance < DAY) amount = count(distance / HOUR, "hour");
        else if (distance < MONTH) amount = count(distance / DAY, "day");
        else if (distance < YEAR) amount = count(distance / MONTH, "month");
        else amount = count(distance / YEAR, "year");
        return future ? "in " + amount : amount + " ago";
    }

    private static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
