package com.orgkeys.domain.apikey;

import java.time.LocalDate;
import java.util.Objects;

/** One key's requests on one day (UTC), by outcome. */
public record DailyUsage(LocalDate day, long success, long scopeRefused, long rateLimited, long ipRefused) {
    public DailyUsage {
        Objects.requireNonNull(day, "day");
    }

    public static DailyUsage none(LocalDate day) {
        return new DailyUsage(day, 0, 0, 0, 0);
    }

    public long count(KeyUseOutcome outcome) {
        return switch (outcome) {
            case SUCCESS -> success;
            case SCOPE_REFUSED -> scopeRefused;
            case RATE_LIMITED -> rateLimited;
            case IP_REFUSED -> ipRefused;
        };
    }

    public long total() {
        return success + scopeRefused + rateLimited + ipRefused;
    }

    /** These counts and {@code other}'s, on this day. */
    public DailyUsage plus(DailyUsage other) {
        return new DailyUsage(day, success + other.success, scopeRefused + other.scopeRefused,
                rateLimited + other.rateLimited, ipRefused + other.ipRefused);
    }
}
