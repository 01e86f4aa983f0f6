package com.orgkeys.domain.apikey;

import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * At most {@code requests} uses of a key per window of {@code windowSeconds}. Windows are fixed and aligned to the
 * epoch (every process agrees on where one starts without talking to the others).
 */
public record RateLimit(int requests, int windowSeconds) {
    public static final int MAX_REQUESTS = 1_000_000_000;
    public static final int MAX_WINDOW_SECONDS = 86_400;

    public RateLimit {
        List<FieldError> errors = new ArrayList<>();
        if (requests < 1 || requests > MAX_REQUESTS) errors.add(new FieldError("requests", "must be 1–" + MAX_REQUESTS));
        if (windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) {
            errors.add(new FieldError("windowSeconds", "must be 1–" + MAX_WINDOW_SECONDS + " (one day)"));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
    }

    /** Whether this limit admits no more than {@code other}: no bigger burst and no higher rate. */
    public boolean noLooserThan(RateLimit other) {
        return requests <= other.requests && (long) requests * other.windowSeconds <= (long) other.requests * windowSeconds;
    }

    public Duration window() {
        return Duration.ofSeconds(windowSeconds);
    }

    @Override
    public String toString() {
        return requests + "/" + windowSeconds + "s";
    }
}
