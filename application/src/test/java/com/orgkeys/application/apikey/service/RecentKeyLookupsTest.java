package com.orgkeys.application.apikey.service;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeySecret;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentKeyLookupsTest {
    private static final Duration TTL = Duration.ofSeconds(1);
    private static final int CAPACITY = 100;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RecentKeyLookups lookups = new RecentKeyLookups(TTL, CAPACITY, nanos::get);
    /** The repository: the keys that exist, by hash; counts every lookup. */
    private final Map<String, ApiKey> existing = new HashMap<>();
    private final AtomicInteger loads = new AtomicInteger();
    private final Function<String, Optional<ApiKey>> load = hash -> {
        loads.incrementAndGet();
        return Optional.ofNullable(existing.get(hash));
    };

    RecentKeyLookupsTest() {
        lookups.trust();
    }

    private String newKey() {
        ApiKeySecret secret = ApiKeySecret.generate();
        existing.put(secret.hash(), new ApiKey(ApiKeyId.random(), OrganizationId.random(), "k", "", Set.of(Permission.AGENTS_READ),
                secret.hash(), secret.hint(), new UserActor(UserId.random()), Instant.EPOCH, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()));
        return secret.hash();
    }

    /** A well-formed key nobody has, as anyone can make up with a valid checksum. */
    private static String unknownKey() {
        return ApiKeySecret.generate().hash();
    }

    @Test
    public void a_flood_of_unknown_keys_neither_fills_the_cache_nor_evicts_a_real_key() {
        String busy = newKey();
        lookups.get(busy, load);
        for (int i = 0; i < CAPACITY * 20; i++) assertEquals(Optional.empty(), lookups.get(unknownKey(), load));
        loads.set(0);

        assertTrue(lookups.get(busy, load).isPresent());

        assertEquals(0, loads.get(), "the real key is still served from the cache");
        assertEquals(1, lookups.size(), "unknown keys are not remembered");
    }

    @Test
    public void an_unknown_key_is_looked_up_every_time_so_a_key_created_later_is_found() {
        String hash = unknownKey();
        lookups.get(hash, load);
        lookups.get(hash, load);
        assertEquals(2, loads.get());
    }

    @Test
    public void a_full_cache_keeps_its_live_entries_and_does_not_remember_the_next_key() {
        String[] live = new String[CAPACITY];
        for (int i = 0; i < CAPACITY; i++) lookups.get(live[i] = newKey(), load);
        String late = newKey();

        assertTrue(lookups.get(late, load).isPresent());
        assertTrue(lookups.get(late, load).isPresent());
        loads.set(0);
        for (String hash : live) assertTrue(lookups.get(hash, load).isPresent());

        assertEquals(0, loads.get(), "no live entry was dropped");
        assertEquals(CAPACITY, lookups.size());
    }

    @Test
    public void a_full_cache_makes_room_by_dropping_expired_entries_first() {
        for (int i = 0; i < CAPACITY; i++) lookups.get(newKey(), load);
        nanos.addAndGet(TTL.toNanos() / 2);
        String fresh = newKey();
        lookups.get(fresh, load); // full of live entries: not remembered
        nanos.addAndGet(TTL.toNanos() / 2 + 1);

        String next = newKey();
        lookups.get(next, load); // every earlier entry has expired now: swept
        loads.set(0);
        lookups.get(next, load);

        assertEquals(0, loads.get(), "remembered once the expired ones were dropped");
        assertEquals(1, lookups.size());
    }

    @Test
    public void a_cached_entry_keeps_what_verification_needs_and_expiry_is_checked_at_each_request() {
        ApiKeySecret secret = ApiKeySecret.generate();
        Instant expires = Instant.parse("2026-06-01T00:00:00.000001Z");
        ApiKey key = new ApiKey(ApiKeyId.random(), OrganizationId.random(), "k", "", Set.of(Permission.AGENTS_READ),
                secret.hash(), secret.hint(), new UserActor(UserId.random()), Instant.EPOCH, Optional.of(expires),
                Optional.empty(), Optional.empty(), Optional.empty());
        existing.put(secret.hash(), key);
        lookups.get(secret.hash(), load);

        RecentKeyLookups.VerifiedKey cached = lookups.get(secret.hash(), load).orElseThrow();

        assertEquals(1, loads.get(), "served from the cache");
        assertEquals(key.id(), cached.id());
        assertEquals(key.organizationId(), cached.organizationId());
        assertEquals(key.scopes(), cached.scopes());
        assertEquals(ApiKeyStatus.ACTIVE, cached.statusAt(expires.minusNanos(1_000)));
        assertEquals(ApiKeyStatus.EXPIRED, cached.statusAt(expires));
        ApiKey revoked = key.revoke(Optional.empty(), Instant.EPOCH);
        assertEquals(ApiKeyStatus.REVOKED, new RecentKeyLookups(TTL, CAPACITY, nanos::get)
                .get(secret.hash(), h -> Optional.of(revoked)).orElseThrow().statusAt(Instant.EPOCH));
    }
}
