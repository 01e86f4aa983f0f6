package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.RateLimitCounts;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.RateLimit;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {
    private static final Instant WINDOW = Instant.parse("2026-01-01T00:00:00Z");
    private final ApiKeyId key = ApiKeyId.random();

    /**
     * One thread per process, twenty rounds: each process learns the others' uses at its reports, so all of them admit
     * at most the limit plus one batch each (3 % of it) — the class's bound, with no report in flight.
     */
    @Test
    public void three_processes_admit_the_limit_within_one_batch_each_and_report_in_batches() throws Exception {
        for (int round = 0; round < 20; round++) {
            Race race = race(1);
            assertTrue(race.admitted() >= 10_000 && race.admitted() <= 10_000 + 3 * 300, "admitted " + race.admitted());
            assertTrue(race.reports() < 200, race.reports() + " reports for " + race.admitted() + " uses");
        }
    }

    /**
     * Two threads per process: while one reports, the other keeps admitting (the requests in flight during a report,
     * which the bound leaves out), but no use is refused before the limit and reports stay batched.
     */
    @Test
    public void threads_of_one_process_never_refuse_before_the_limit_while_one_of_them_reports() throws Exception {
        for (int round = 0; round < 20; round++) {
            Race race = race(2);
            assertTrue(race.admitted() >= 10_000, "admitted " + race.admitted());
            assertTrue(race.reports() < 400, race.reports() + " reports for " + race.admitted() + " uses");
        }
    }

    private record Race(long admitted, int reports) {
    }

    /** Three processes sharing one count, {@code threadsEach} threads each, 10,000 attempts per thread at 10,000 a minute. */
    private Race race(int threadsEach) throws Exception {
        AtomicInteger reports = new AtomicInteger();
        LocalRateLimitCounts shared = new LocalRateLimitCounts();
        RateLimitCounts counting = (k, start, uses) -> {
            reports.incrementAndGet();
            return shared.add(k, start, uses);
        };
        List<RateLimiter> processes = List.of(new RateLimiter(counting), new RateLimiter(counting), new RateLimiter(counting));
        RateLimit limit = new RateLimit(10_000, 60);
        AtomicLong admitted = new AtomicLong();
        try (ExecutorService threads = Executors.newFixedThreadPool(3 * threadsEach)) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 3 * threadsEach; t++) {
                RateLimiter process = processes.get(t % 3);
                running.add(threads.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        if (process.take(key, limit, WINDOW.plusMillis(i)).admitted()) admitted.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : running) f.get();
        }
        return new Race(admitted.get(), reports.get());
    }

    @Test
    public void no_process_refuses_before_the_limit_each_overshoots_by_at_most_one_batch_and_a_new_window_starts_afresh() {
        LocalRateLimitCounts shared = new LocalRateLimitCounts();
        RateLimiter a = new RateLimiter(shared), b = new RateLimiter(shared);
        RateLimit limit = new RateLimit(10, 60);
        for (int i = 0; i < 5; i++) assertTrue(a.take(key, limit, WINDOW).admitted());
        for (int i = 0; i < 5; i++) assertTrue(b.take(key, limit, WINDOW).admitted());
        // a learned of b's uses when it last reported: it may admit one batch (1 use at this limit) before it knows
        assertTrue(a.take(key, limit, WINDOW.plusSeconds(50)).admitted());
        assertEquals(new RateLimiter.Decision(false, limit, 0, 10), a.take(key, limit, WINDOW.plusSeconds(50)));
        assertEquals(new RateLimiter.Decision(false, limit, 0, 10), b.take(key, limit, WINDOW.plusSeconds(50)));
        assertTrue(b.take(key, limit, WINDOW.plusSeconds(60)).admitted());
    }

    @Test
    public void without_the_database_each_process_still_enforces_the_limit_on_its_own_uses() {
        RateLimiter alone = new RateLimiter((k, start, uses) -> {
            throw new IllegalStateException("database down");
        });
        RateLimit limit = new RateLimit(100, 60);
        int admitted = 0;
        for (int i = 0; i < 500; i++) if (alone.take(key, limit, WINDOW).admitted()) admitted++;
        assertEquals(100, admitted);
    }
}
