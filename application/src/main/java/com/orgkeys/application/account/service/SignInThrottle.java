package com.orgkeys.application.account.service;

import com.orgkeys.domain.shared.RateLimitedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed sign-ins per account and per client address in a sliding window and refuses further
 * attempts once a limit is reached, until the oldest failure leaves the window. Kept in memory: a restart
 * forgets it, which only ever helps a user, and several processes each apply their own limit.
 */
public final class SignInThrottle {
    public static final Duration WINDOW = Duration.ofMinutes(15);
    public static final int MAX_FAILURES_PER_ACCOUNT = 5;
    public static final int MAX_FAILURES_PER_ADDRESS = 20;
    private static final int MAX_TRACKED_KEYS = 100_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Throws {@link RateLimitedException} when either the account or the address has too many failures. */
    public void check(String account, String address) {
        Instant now = clock.instant();
        check("account:" + account, MAX_FAILURES_PER_ACCOUNT, now);
        check("address:" + address, MAX_FAILURES_PER_ADDRESS, now);
    }

    public void recordFailure(String account, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_TRACKED_KEYS) evictExpired(now);
        add("account:" + account, now);
        add("address:" + address, now);
    }

    /** A successful sign-in clears the account's failures (not the address's: one right guess proves little). */
    public void recordSuccess(String account) {
        failures.remove("account:" + account);
    }

    private void check(String key, int limit, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) return;
        synchronized (times) {
            prune(times, now);
            if (times.size() >= limit) {
                Duration retryAfter = Duration.between(now, times.peekFirst().plus(WINDOW));
                throw new RateLimitedException("Too many failed sign-in attempts; try again in "
                        + Math.max(1, retryAfter.toMinutes() + 1) + " minutes.", retryAfter);
            }
        }
    }

    private void add(String key, Instant now) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
        }
    }

    private static void prune(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && !times.peekFirst().plus(WINDOW).isAfter(now)) times.removeFirst();
    }

    private void evictExpired(Instant now) {
        failures.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                prune(entry.getValue(), now);
                return entry.getValue().isEmpty();
            }
        });
    }
}
