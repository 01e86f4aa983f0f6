package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.UnavailableException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiKeyUsageTest {
    private static final Instant T1 = TestApplication.START.plus(Duration.ofMinutes(1));
    private static final Instant T2 = TestApplication.START.plus(Duration.ofMinutes(2));
    private static final Instant T3 = TestApplication.START.plus(Duration.ofMinutes(3));

    private final TestApplication app = new TestApplication();
    private final CountingApiKeyRepository keys = new CountingApiKeyRepository(app.apiKeyRepository);
    private final ApiKeyUsage usage = new ApiKeyUsage(keys, app.apiKeyUsageRepository);
    private Organization acme;
    private ApiKey first;
    private ApiKey second;

    @BeforeEach
    void acmeHasTwoKeys() {
        var alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
        first = app.apiKeys.createApiKey(app.callerOf(alice),
                new CreateApiKeyCommand("First", "", Optional.empty(), Optional.empty())).key();
        second = app.apiKeys.createApiKey(app.callerOf(alice),
                new CreateApiKeyCommand("Second", "", Optional.empty(), Optional.empty())).key();
    }

    @Test
    public void flush_writes_the_latest_time_of_each_key_in_one_call() {
        usage.record(first.id(), T2);
        usage.record(first.id(), T1); // arrives late, is older
        usage.record(second.id(), T3);

        usage.flush();

        assertEquals(Optional.of(T2), lastUsed(first.id()));
        assertEquals(Optional.of(T3), lastUsed(second.id()));
        assertEquals(1, keys.recordLastUsedCalls.get());
    }

    @Test
    public void times_are_kept_to_the_millisecond_and_a_later_millisecond_still_wins() {
        usage.record(first.id(), T1.plusNanos(1_300_000)); // 1.3 ms
        usage.record(first.id(), T1.plusNanos(1_900_000)); // same millisecond: nothing to change
        usage.flush();
        assertEquals(Optional.of(T1.plusMillis(1)), lastUsed(first.id()));

        usage.record(first.id(), T1.plusNanos(1_900_000));
        usage.record(first.id(), T1.plusNanos(2_000_001)); // the next millisecond
        usage.flush();
        assertEquals(Optional.of(T1.plusMillis(2)), lastUsed(first.id()));
    }

    @Test
    public void a_flush_with_nothing_recorded_writes_nothing() {
        usage.flush();
        usage.record(first.id(), T1);
        usage.flush();
        usage.flush();

        assertEquals(1, keys.recordLastUsedCalls.get());
    }

    @Test
    public void when_the_repository_fails_the_entries_are_kept_for_the_next_flush() {
        usage.record(first.id(), T2);
        usage.record(second.id(), T1);
        keys.failRecordLastUsed = true;

        assertThrows(UnavailableException.class, usage::flush);
        assertEquals(Optional.empty(), lastUsed(first.id()));

        usage.record(first.id(), T1); // older than the kept entry: the kept one wins
        usage.record(second.id(), T3); // newer: wins over the kept one
        keys.failRecordLastUsed = false;
        usage.flush();

        assertEquals(Optional.of(T2), lastUsed(first.id()));
        assertEquals(Optional.of(T3), lastUsed(second.id()));
    }

    @Test
    public void a_full_map_does_not_grow_counts_what_it_could_not_take_and_asks_for_a_flush_at_half() {
        ApiKeyUsage small = new ApiKeyUsage(keys, app.apiKeyUsageRepository, 4);
        AtomicInteger flushesAsked = new AtomicInteger();
        small.whenFilling(flushesAsked::incrementAndGet);
        small.record(first.id(), T1);
        small.record(second.id(), T1);
        assertEquals(0, flushesAsked.get());
        small.record(ApiKeyId.random(), T1); // half full: asks once
        small.record(ApiKeyId.random(), T1);
        assertEquals(1, flushesAsked.get());

        small.record(ApiKeyId.random(), T1); // full: not taken, counted
        small.record(first.id(), T3); // already pending: its latest time still counts
        assertEquals(4, small.pending());
        assertEquals(1, small.takeDropped());
        assertEquals(0, small.takeDropped());

        small.flush();
        assertEquals(Optional.of(T3), lastUsed(first.id()));
        assertEquals(Optional.of(T1), lastUsed(second.id()));
        small.record(ApiKeyId.random(), T2); // room again
        assertEquals(1, small.pending());
    }

    @Test
    public void a_failed_flush_keeps_its_entries_without_asking_for_an_early_retry() {
        ApiKeyUsage small = new ApiKeyUsage(keys, app.apiKeyUsageRepository, 4);
        AtomicInteger flushesAsked = new AtomicInteger();
        small.record(first.id(), T2);
        small.record(second.id(), T2);
        small.whenFilling(flushesAsked::incrementAndGet);
        keys.failRecordLastUsed = true;

        assertThrows(UnavailableException.class, small::flush);

        assertEquals(2, small.pending());
        assertEquals(0, flushesAsked.get(), "the failure is retried on schedule, not in a loop");
        keys.failRecordLastUsed = false;
        small.flush();
        assertEquals(Optional.of(T2), lastUsed(first.id()));
        assertEquals(0, small.pending());
    }

    @Test
    public void uses_recorded_while_a_flush_writes_wait_for_the_next_one_and_big_batches_go_in_chunks() {
        for (int i = 0; i < ApiKeyUsage.FLUSH_CHUNK + 1; i++) usage.record(ApiKeyId.random(), T1);
        usage.record(first.id(), T1);
        keys.duringRecordLastUsed = () -> {
            keys.duringRecordLastUsed = () -> {
            };
            usage.record(first.id(), T3); // same key, while its T1 is being written
            usage.record(second.id(), T2);
        };

        usage.flush();

        assertEquals(2, keys.recordLastUsedCalls.get(), "5,002 keys in chunks of 5,000");
        assertEquals(Optional.of(T1), lastUsed(first.id()));
        assertEquals(2, usage.pending());
        usage.flush();
        assertEquals(Optional.of(T3), lastUsed(first.id()));
        assertEquals(Optional.of(T2), lastUsed(second.id()));
    }

    @Test
    public void authenticating_with_a_key_is_recorded_as_usage_at_the_next_flush() {
        var alice = app.signUp("Carol");
        var carolsOrg = app.organization("Carol's", alice);
        var created = app.apiKeys.createApiKey(app.callerOf(alice),
                new CreateApiKeyCommand("Deploy", "", Optional.empty(), Optional.empty()));
        app.clock.advance(Duration.ofMinutes(7));

        app.apiKeys.authenticate(created.secret(), TestApplication.ADDRESS).orElseThrow();
        assertEquals(Optional.empty(), app.apiKeyRepository.find(carolsOrg.id(), created.key().id())
                .orElseThrow().lastUsedAt());
        app.apiKeyUsage.flush();

        assertEquals(Optional.of(app.clock.instant()), app.apiKeyRepository.find(carolsOrg.id(),
                created.key().id()).orElseThrow().lastUsedAt());
    }

    private Optional<Instant> lastUsed(ApiKeyId id) {
        return app.apiKeyRepository.find(acme.id(), id).orElseThrow().lastUsedAt();
    }
}
