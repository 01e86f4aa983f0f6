package com.orgkeys.http.dashboard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RelativeTimeTest {
    private static final Instant NOW = Instant.parse("2026-12-02T14:00:00Z");

    @ParameterizedTest(name = "{0} seconds from now reads \"{1}\"")
    @CsvSource({
            "0, just now",
            "-59, just now",
            "-60, 1 minute ago",
            "-179, 2 minutes ago",
            "-3599, 59 minutes ago",
            "-3600, 1 hour ago",
            "-86399, 23 hours ago",
            "-86400, 1 day ago",
            "-2591999, 29 days ago",
            "-2592000, 1 month ago",
            "-31535999, 12 months ago",
            "-31536000, 1 year ago",
            "-94608000, 3 years ago",
            "30, in a few seconds",
            "60, in 1 minute",
            "7200, in 2 hours",
            "518400, in 6 days",
            "7776000, in 3 months",
    })
    void past_and_future_times_read_in_whole_units_rounded_down(long offsetSeconds, String expected) {
        assertEquals(expected, RelativeTime.describe(NOW.plusSeconds(offsetSeconds), NOW));
    }

    @Test
    void the_time_element_carries_the_iso_instant_and_the_exact_utc_time() {
        var when = RelativeTime.when(Instant.parse("2026-12-02T13:56:59.123Z"), NOW);
        assertEquals("2026-12-02T13:56:59.123Z", when.iso());
        assertEquals("2026-12-02 13:56:59 UTC", when.exact());
        assertEquals("3 minutes ago", when.relative());
    }

    @Test
    void no_instant_reads_as_the_given_word_and_has_no_datetime() {
        var when = new RelativeTime(Clock.fixed(NOW, ZoneOffset.UTC)).when(null, "never");
        assertEquals("never", when.relative());
        assertEquals(null, when.iso());
    }

    @Test
    void now_comes_from_the_clock() {
        var clock = Clock.offset(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(2));
        assertEquals("2 days ago", new RelativeTime(clock).when(NOW, "never").relative());
    }
}
