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

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentKeyLookupsTest {
    private static final int CAPACITY = 100;
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final RecentKeyLookups lookups = new RecentKeyLookups(CAPACITY);
    /** The repository: the keys that exist, by hash; counts every lookup. */
    private final Map<String, ApiKey> existing = new ConcurrentHashMap<>();
    private final AtomicInteger loads = new AtomicInteger();
    private final Function<String, Optional<ApiKey>> load = hash -> {
        loads.incrementAndGet();
        return Optional.ofNullable(existing.get(hash));
    };
    private Instant now = T0;

    RecentKeyLookupsTest() {
        lookups.trust();
    }

    private String newKey() {
        return newKey(Optional.empty());
    }

    private String newKey(Optional<Instant> lastUsedAt) {
        ApiKeySecret secret = ApiKeySecret.generate();
        existing.put(secret.hash(), new ApiKey(ApiKeyId.random(), OrganizationId.random(), "k", "", Set.of(Permission.AGENTS_READ),
                secret.hash(), secret.hint(), new UserActor(UserId.random()), Instant.EPOCH, Optional.empty(), lastUsedAt,
                Optional.empty(), Optional.empty()));
        return secret.hash();
    }

    private Optional<RecentKeyLookups.VerifiedKey> get(String hash) {
        return lookups.get(hash, now, load);
    }

    /** A well-formed key nobody has, as anyone can make up with a valid checksum. */
    private static String unknownKey() {
        return ApiKeySecret.generate().hash();
    }

    @Test
    public void a_users_key_is_found_again_with_its_user_and_organization_and_an_organizations_key_with_no_user() {
        String orgKey = newKey();
        String userKey = newKey();
        UserId owner = UserId.random();
        ApiKey stored = existing.get(userKey).ownedBy(owner);
        existing.put(userKey, stored);
        for (int round = 0; round < 2; round++) { // loaded, then from the table
            var user = get(userKey).orElseThrow();
            assertEquals(owner, user.owner(), "round " + round);
            assertEquals(stored.organizationId(), user.organizationId());
            assertEquals(stored.id(), user.id());
            var organization = get(orgKey).orElseThrow();
            assertEquals(null, organization.owner());
            assertEquals(existing.get(orgKey).organizationId(), organization.organizationId());
        }
        assertEquals(2, loads.get(), "the second round came from the table");
    }

    @Test
    public void a_flood_of_unknown_keys_neither_fills_the_cache_nor_evicts_a_real_key() {
        String busy = newKey();
        get(busy);
        for (int i = 0; i < CAPACITY * 20; i++) assertEquals(Optional.empty(), get(unknownKey()));
        loads.set(0);

        assertTrue(get(busy).isPresent());

        assertEquals(0, loads.get(), "the real key is still served from the cache");
        assertEquals(1, lookups.size(), "unknown keys are not remembered");
    }

    @Test
    public void an_unknown_key_is_looked_up_every_time_so_a_key_created_later_is_found() {
        String hash = unknownKey();
        get(hash);
        get(hash);
        assertEquals(2, loads.get());
    }

    @Test
    public void a_full_cache_keeps_its_live_entries_and_does_not_remember_the_next_key() {
        String[] live = new String[CAPACITY];
        for (int i = 0; i < CAPACITY; i++) get(live[i] = newKey());
        String late = newKey();

        assertTrue(get(late).isPresent());
        assertTrue(get(late).isPresent());
        assertEquals(CAPACITY + 2, loads.get(), "the late key is looked up each time");
        loads.set(0);
        for (String hash : live) assertTrue(get(hash).isPresent());

        assertEquals(0, loads.get(), "no live entry was dropped");
        assertEquals(CAPACITY, lookups.size());
    }

    @Test
    public void a_full_cache_makes_room_by_dropping_keys_unused_for_the_idle_time() {
        String[] keys = new String[CAPACITY];
        for (int i = 0; i < CAPACITY; i++) get(keys[i] = newKey());
        now = now.plus(RecentKeyLookups.IDLE).minus(RecentKeyLookups.USE_RECORDING_INTERVAL);
        for (int i = 0; i < CAPACITY / 2; i++) get(keys[i]); // used again (recorded: the interval has passed)
        now = now.plus(RecentKeyLookups.USE_RECORDING_INTERVAL);

        String next = newKey();
        get(next); // the unused half is idle now: swept
        loads.set(0);
        get(next);
        for (int i = 0; i < CAPACITY / 2; i++) get(keys[i]);

        assertEquals(0, loads.get(), "the new key and the ones in use are remembered");
        assertEquals(CAPACITY / 2 + 1, lookups.size());
        get(keys[CAPACITY - 1]);
        assertEquals(1, loads.get(), "an idle key was dropped");
    }

    @Test
    public void a_use_is_to_be_recorded_once_per_interval_and_not_when_the_stored_one_is_recent() {
        String hash = newKey();
        assertTrue(get(hash).orElseThrow().recordUse(), "first use");
        assertFalse(get(hash).orElseThrow().recordUse());
        now = now.plus(RecentKeyLookups.USE_RECORDING_INTERVAL);
        assertTrue(get(hash).orElseThrow().recordUse(), "an interval later");
        assertFalse(get(hash).orElseThrow().recordUse());

        String recent = newKey(Optional.of(now.minusSeconds(30))); // recorded by another process just now
        assertFalse(get(recent).orElseThrow().recordUse());
        String old = newKey(Optional.of(now.minus(RecentKeyLookups.USE_RECORDING_INTERVAL)));
        assertTrue(get(old).orElseThrow().recordUse());

        lookups.useNotRecorded(hash); // the recording it took could not be kept
        assertTrue(get(hash).orElseThrow().recordUse(), "due again");
        assertFalse(get(hash).orElseThrow().recordUse());

        RecentKeyLookups uncached = new RecentKeyLookups(0);
        uncached.trust();
        assertTrue(uncached.get(hash, now, load).orElseThrow().recordUse());
        assertTrue(uncached.get(hash, now, load).orElseThrow().recordUse(), "nothing remembered: every use counts");
    }

    @Test
    public void an_eviction_removes_that_key_only_and_every_other_stays_found() {
        RecentKeyLookups small = new RecentKeyLookups(1_000);
        small.trust();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String hash = newKey();
            keys.add(hash);
            small.get(hash, now, load);
        }
        Random random = new Random(7);
        Collections.shuffle(keys, random);
        List<String> evicted = keys.subList(0, 600);
        for (String hash : evicted) small.evict(hash);
        assertEquals(400, small.size());
        loads.set(0);
        for (String hash : keys.subList(600, 1_000)) assertTrue(small.get(hash, now, load).isPresent());
        assertEquals(0, loads.get(), "every key left is still found, wherever its probe run moved it");
        for (String hash : List.copyOf(evicted)) small.get(hash, now, load);
        assertEquals(600, loads.get(), "every evicted key is looked up again");
    }

    @Test
    public void a_lookup_that_raced_with_its_own_key_s_eviction_is_not_remembered_and_one_that_raced_with_another_s_is() {
        String key = newKey();
        String other = newKey();
        // the change commits (and is evicted) while the lookup's read is on its way: what it read may predate it
        Function<String, Optional<ApiKey>> racedByItsOwn = hash -> {
            lookups.evict(hash);
            return load.apply(hash);
        };
        lookups.get(key, now, racedByItsOwn);
        assertEquals(0, lookups.size(), "the key's own eviction during its lookup");
        lookups.get(key, now, hash -> { // a change to every key: the feed lost and regained
            lookups.distrust();
            lookups.trust();
            return load.apply(hash);
        });
        assertEquals(0, lookups.size(), "a reset during the lookup");

        // a steady stream of changes to other keys (in other stripes) does not keep a new key out
        String elsewhere = newKey();
        while (stripeOf(elsewhere) == stripeOf(key)) elsewhere = newKey();
        String changedMeanwhile = elsewhere;
        lookups.get(key, now, hash -> {
            lookups.evict(changedMeanwhile);
            return load.apply(hash);
        });
        assertEquals(1, lookups.size());
        loads.set(0);
        assertTrue(get(key).isPresent());
        assertEquals(0, loads.get(), "remembered");
        assertTrue(get(other).isPresent());
    }

    /** The eviction stripe of a hash, as RecentKeyLookups takes it: the low bits of its second 64 bits. */
    private static int stripeOf(String hash) {
        return (int) Long.parseUnsignedLong(hash.substring(16, 32), 16) & 1023;
    }

    @Test
    public void readers_racing_with_evictions_and_inserts_never_get_another_key() throws Exception {
        RecentKeyLookups small = new RecentKeyLookups(500);
        small.trust();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 600; i++) keys.add(newKey());
        AtomicInteger wrong = new AtomicInteger();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int seed = t;
                done.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 200_000; i++) {
                        String hash = keys.get(random.nextInt(keys.size()));
                        RecentKeyLookups.VerifiedKey key = small.get(hash, now, load).orElseThrow();
                        ApiKey expected = existing.get(hash);
                        if (!key.id().equals(expected.id()) || !key.organizationId().equals(expected.organizationId())) {
                            wrong.incrementAndGet();
                        }
                    }
                }));
            }
            done.add(threads.submit(() -> {
                Random random = new Random(99);
                for (int i = 0; i < 50_000; i++) small.evict(keys.get(random.nextInt(keys.size())));
            }));
            for (Future<?> future : done) future.get(60, TimeUnit.SECONDS);
        }
        assertEquals(0, wrong.get());
    }

    @Test
    public void nothing_is_remembered_without_the_feed_and_regaining_it_starts_empty() {
        String hash = newKey();
        get(hash);
        lookups.distrust();
        get(hash);
        get(hash);
        assertEquals(3, loads.get());
        assertEquals(0, lookups.size());
        lookups.trust();
        get(hash);
        get(hash);
        assertEquals(4, loads.get());
    }

    @Test
    public void a_cached_entry_keeps_what_verification_needs_and_expiry_is_checked_at_each_request() {
        ApiKeySecret secret = ApiKeySecret.generate();
        Instant expires = Instant.parse("2026-06-01T00:00:00.000001Z");
        ApiKey key = new ApiKey(ApiKeyId.random(), OrganizationId.random(), "k", "",
                Set.of(Permission.AGENTS_READ, Permission.AGENTS_MANAGE), secret.hash(), secret.hint(),
                new UserActor(UserId.random()), Instant.EPOCH, Optional.of(expires), Optional.empty(), Optional.empty(),
                Optional.empty());
        existing.put(secret.hash(), key);
        get(secret.hash());

        RecentKeyLookups.VerifiedKey cached = get(secret.hash()).orElseThrow();

        assertEquals(1, loads.get(), "served from the cache");
        assertEquals(key.id(), cached.id());
        assertEquals(key.organizationId(), cached.organizationId());
        assertEquals(key.scopes(), cached.scopes());
        assertEquals(expires, cached.expiresAt());
        assertEquals(ApiKeyStatus.ACTIVE, cached.statusAt(expires.minusNanos(1_000)));
        assertEquals(ApiKeyStatus.EXPIRED, cached.statusAt(expires));
        ApiKey revoked = key.revoke(Optional.empty(), Instant.EPOCH);
        RecentKeyLookups other = new RecentKeyLookups(CAPACITY);
        other.trust();
        other.get(secret.hash(), now, h -> Optional.of(revoked));
        assertEquals(ApiKeyStatus.REVOKED, other.get(secret.hash(), now, h -> Optional.empty()).orElseThrow()
                .statusAt(Instant.EPOCH), "the revoked key is remembered as revoked");
    }
}
