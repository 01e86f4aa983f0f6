package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreatedApiKey;
import com.orgkeys.application.apikey.port.in.ReadApiKeyUsageUseCase.KeyUsage;
import com.orgkeys.application.apikey.port.out.ApiKeyUsageRepository;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.apikey.KeyUseOutcome;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.UnavailableException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-day counts beside lastUsedAt: recorded in memory by outcome, flushed as additions, read back per day. */
class KeyUsageCountsTest {
    private static final LocalDate TODAY = LocalDate.of(2025, 3, 1); // TestApplication.START's day

    private final TestApplication app = new TestApplication();
    private Caller alice;
    private CreatedApiKey key;

    @BeforeEach
    void aliceHasAKey() {
        var user = app.signUp("Alice");
        app.organization("Acme", user);
        alice = app.callerOf(user);
        key = app.apiKeys.createApiKey(alice, new CreateApiKeyCommand("CI", "", Optional.of(List.of("org:agents:read")),
                Optional.empty()));
    }

    private KeyUsage usage(int days) {
        return app.apiKeyUsageService.getApiKeyUsage(alice, key.key().id(), days);
    }

    @Test
    void each_verified_request_counts_once_and_a_scope_refusal_moves_its_request_out_of_success() {
        var caller = app.apiKeys.authenticate(key.secret(), "203.0.113.9").orElseThrow();
        app.apiKeys.authenticate(key.secret(), "203.0.113.10").orElseThrow();
        app.apiKeys.verify(key.secret()).orElseThrow(); // by a backend: counted, its address is not the client's
        app.apiKeys.refusedForScope(caller);
        app.apiKeys.authenticate("ok_not-a-key", "198.51.100.1"); // no key: nothing to count it on

        assertEquals(DailyUsage.none(TODAY), usage(1).days().getFirst(), "nothing before the flush");
        app.apiKeyUsage.flush();

        KeyUsage usage = usage(1);
        assertEquals(List.of(new DailyUsage(TODAY, 2, 1, 0, 0)), usage.days());
        assertEquals(Optional.of("203.0.113.10"), usage.lastUsedAddress());
        assertEquals(Optional.of(TestApplication.START), usage.lastUsedAt());
    }

    @Test
    void the_traffic_refusals_are_one_call_each_and_carry_no_address() {
        ApiKeyId id = key.key().id();
        Instant now = app.clock.instant();
        app.apiKeyUsage.record(id, KeyUseOutcome.RATE_LIMITED, "203.0.113.1", now);
        app.apiKeyUsage.record(id, KeyUseOutcome.IP_REFUSED, "203.0.113.2", now);
        app.apiKeyUsage.record(id, KeyUseOutcome.IP_REFUSED, "203.0.113.2", now);
        app.apiKeyUsage.flush();

        assertEquals(List.of(new DailyUsage(TODAY, 0, 0, 1, 2)), usage(1).days());
        assertEquals(Optional.empty(), usage(1).lastUsedAddress(), "only a successful request tells where the key is used");
    }

    @Test
    void days_are_utc_days_dense_oldest_first_and_1_to_90() {
        ApiKeyId id = key.key().id();
        Instant beforeMidnight = Instant.parse("2025-03-01T23:59:59.999Z");
        app.apiKeyUsage.record(id, KeyUseOutcome.SUCCESS, null, beforeMidnight);
        app.apiKeyUsage.record(id, KeyUseOutcome.SUCCESS, null, beforeMidnight.plusMillis(1));
        app.apiKeyUsage.record(id, KeyUseOutcome.SUCCESS, null, beforeMidnight.plusMillis(2));
        app.apiKeyUsage.flush();
        app.clock.set(Instant.parse("2025-03-02T08:00:00Z"));

        KeyUsage usage = usage(3);
        assertEquals(List.of(DailyUsage.none(TODAY.minusDays(1)), new DailyUsage(TODAY, 1, 0, 0, 0),
                new DailyUsage(TODAY.plusDays(1), 2, 0, 0, 0)), usage.days());
        assertEquals(new DailyUsage(TODAY.minusDays(1), 3, 0, 0, 0), usage.totals());
        assertEquals(90, usage(90).days().size());
        for (int bad : new int[]{0, -1, 91, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            var e = assertThrows(InvalidInputException.class, () -> usage(bad));
            assertEquals("days", e.errors().getFirst().field());
        }
    }

    @Test
    void another_organizations_member_cannot_read_the_usage_or_the_history() {
        var mallory = app.signUp("Mallory");
        app.organization("Evil", mallory);
        Caller evil = app.callerOf(mallory);
        assertThrows(NotFoundException.class, () -> app.apiKeyUsageService.getApiKeyUsage(evil, key.key().id(), 30));
        assertThrows(NotFoundException.class, () -> app.apiKeyUsageService.getApiKeyHistory(evil, key.key().id()));
        assertEquals(List.of("api_key.created"),
                app.apiKeyUsageService.getApiKeyHistory(alice, key.key().id()).stream().map(e -> e.action()).toList());
    }

    @Test
    void the_pending_counts_are_bounded_and_a_failed_flush_keeps_them() {
        FlakyUsage flaky = new FlakyUsage(app.apiKeyUsageRepository);
        ApiKeyUsage small = new ApiKeyUsage(app.apiKeyRepository, flaky, 4);
        AtomicInteger flushesAsked = new AtomicInteger();
        small.whenFilling(flushesAsked::incrementAndGet);
        Instant now = app.clock.instant();
        ApiKeyId id = key.key().id();
        assertTrue(small.record(id, KeyUseOutcome.SUCCESS, "203.0.113.9", now));
        assertTrue(small.record(id, KeyUseOutcome.SUCCESS, null, now)); // same key and day: one entry
        assertTrue(small.record(ApiKeyId.random(), KeyUseOutcome.SUCCESS, null, now));
        assertTrue(small.record(ApiKeyId.random(), KeyUseOutcome.SUCCESS, null, now)); // half full: asks once
        assertEquals(1, flushesAsked.get());
        assertTrue(small.record(ApiKeyId.random(), KeyUseOutcome.SUCCESS, null, now));
        assertFalse(small.record(ApiKeyId.random(), KeyUseOutcome.SUCCESS, null, now), "full: not taken");
        assertTrue(small.record(id, KeyUseOutcome.SCOPE_REFUSED, null, now), "a pending entry still counts");
        assertEquals(4, small.pendingCounts());
        assertEquals(1, small.takeDroppedCounts());
        assertEquals(0, small.takeDroppedCounts());

        flaky.failing = true;
        assertThrows(UnavailableException.class, small::flush);
        assertEquals(4, small.pendingCounts(), "kept for the next flush");
        flaky.failing = false;
        small.flush();
        assertEquals(0, small.pendingCounts());
        assertEquals(List.of(new DailyUsage(TODAY, 2, 1, 0, 0)), usage(1).days(), "written once, not twice");
        assertEquals(Optional.of("203.0.113.9"), usage(1).lastUsedAddress());
    }

    @Test
    void addresses_are_kept_as_two_longs_and_names_are_never_looked_up() {
        assertEquals(Optional.of("203.0.113.9"), text(ClientAddress.bits("203.0.113.9")));
        assertEquals(Optional.of("2001:db8:0:0:0:0:0:1"), text(ClientAddress.bits("2001:db8::1")));
        assertEquals(Optional.of("2001:db8:0:0:0:0:0:1"), text(ClientAddress.bits("2001:db8::1%eth0")));
        for (String notALiteral : new String[]{null, "", "localhost", "example.com", "cafe.bad", "abc:def",
                "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "[::1]", "a".repeat(100), "::1\u0000"}) {
            assertArrayEquals(new long[2], ClientAddress.bits(notALiteral), String.valueOf(notALiteral));
        }
    }

    private static Optional<String> text(long[] bits) {
        return ClientAddress.text(bits[0], bits[1]);
    }

    /** The in-memory repository, made to fail on demand (the database down). */
    private static final class FlakyUsage implements ApiKeyUsageRepository {
        private final ApiKeyUsageRepository delegate;
        volatile boolean failing;

        FlakyUsage(ApiKeyUsageRepository delegate) {
            this.delegate = delegate;
        }

        @Override
        public void add(List<KeyDayCounts> counts) {
            if (failing) throw new UnavailableException("database down", null);
            delegate.add(counts);
        }

        @Override
        public List<DailyUsage> days(OrganizationId organizationId, ApiKeyId id, LocalDate from) {
            return delegate.days(organizationId, id, from);
        }

        @Override
        public Optional<String> lastUsedAddress(OrganizationId organizationId, ApiKeyId id) {
            return delegate.lastUsedAddress(organizationId, id);
        }

        @Override
        public int deleteBefore(LocalDate day, int limit) {
            return delegate.deleteBefore(day, limit);
        }
    }
}
