package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.ApiKeyVerificationObserver;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.apikey.IpAllowlist;
import com.orgkeys.domain.apikey.RateLimit;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Function;

/**
 * Remembers the keys that were looked up, so that a program sending thousands of requests a second with one key,
 * or a million programs with a key each, cost the database a lookup per key rather than per request. It is only
 * trusted while a revocation feed (PostgreSQL LISTEN/NOTIFY) is connected: every revocation, in any process, evicts
 * the key everywhere; when the feed is down (or its own heartbeat stops coming back: {@code RevocationFeed}),
 * nothing is remembered and every verification goes to the database.
 * Expiry is checked on every request.
 * <p>
 * A fixed table outside the heap, sized once for {@code maxKeys}: {@value #SLOT_BYTES} bytes per slot and
 * {@value #SLOTS_PER_KEY} slots per key (linear probing stays short below 80 % full), 80 MB for 1,000,000 keys,
 * with no garbage and no per-key objects. Keys are found by the first 128 bits of their SHA-256 (a 256-bit random
 * secret: finding another secret with the same 128 bits is as hard as guessing one).
 * <p>
 * Only keys that exist are remembered: anyone can send well-formed unknown keys, as many as they like, and they must
 * never push out the keys of real programs. When full, keys unused for {@link #IDLE} make room; if none is, a new key
 * is simply not remembered (it is looked up each time) rather than forgetting live ones.
 * <p>
 * Each slot also holds when this process last had the key's use recorded (or, when loaded, the stored lastUsedAt),
 * so that a key in constant use is recorded once per {@link #USE_RECORDING_INTERVAL}, not once per request.
 */
final class RecentKeyLookups {
    /**
     * A slot: hash (2 longs), key id (2), subject (2: the organization's id, or for a user's key its user's, the
     * organization being in the profile), expiry in µs, last recorded use (minute), profile index, state (0 usable,
     * 1 revoked, 2 disabled; {@link #OWNED} set for a user's key).
     */
    static final int SLOT_BYTES = 64;
    static final double SLOTS_PER_KEY = 1.25;
    /** Eviction generations (a power of two): a change to one key holds back new keys in 1/1024 of the hashes only. */
    private static final int EVICTION_STRIPES = 1024;
    /** A key in use is recorded (lastUsedAt) at most this often; lastUsedAt is that much behind at most. */
    static final Duration USE_RECORDING_INTERVAL = Duration.ofMinutes(5);
    /** When the table is full, keys whose last recorded use is older than this make room. */
    static final Duration IDLE = USE_RECORDING_INTERVAL.multipliedBy(10);
    /** Distinct profiles (scopes and traffic controls; a short's worth); a key with yet another one is looked up each time. */
    private static final int MAX_SCOPE_SETS = Short.MAX_VALUE;
    private static final long NO_EXPIRY = Long.MAX_VALUE;
    private static final byte STATE_REVOKED = 1, STATE_DISABLED = 2, STATE_MASK = 0x0F;
    /**
     * In the state byte: the slot's subject is the key's user. Its organization goes into the profile rather than the
     * user: profiles are then shared by the members of one organization alike (not one per user), the slot stays 64 bytes.
     */
    private static final byte OWNED = 0x10;
    /** The minute of a key whose use was never recorded. */
    private static final int NEVER = Integer.MIN_VALUE;

    private static final int H0 = 0, H1 = 8, ID_HIGH = 16, ID_LOW = 24, SUBJECT_HIGH = 32, SUBJECT_LOW = 40,
            EXPIRES = 48, USED = 56, SCOPES = 60, STATE = 62;

    /**
     * A key as verification needs it; {@code recordUse} says whether this use should be recorded (lastUsedAt);
     * {@code owner} the user a user's key acts as (null for an organization's key).
     */
    record VerifiedKey(ApiKeyId id, OrganizationId organizationId, UserId owner, Set<Permission> scopes, boolean revoked,
                       boolean disabled, Instant expiresAt, boolean recordUse, Profile profile) {
        ApiKeyStatus statusAt(Instant now) {
            return ApiKey.statusAt(revoked, disabled, expiresAt, now);
        }

        /** The key found by {@code secretHash}: a previous secret's ends with its grace period. */
        static VerifiedKey of(ApiKey key, String secretHash) {
            Profile profile = new Profile(Set.copyOf(key.scopes()), key.allowlist(), key.rateLimit(),
                    key.owner().isPresent() ? key.organizationId() : null);
            return new VerifiedKey(key.id(), key.organizationId(), key.owner().orElse(null), key.scopes(),
                    key.revokedAt().isPresent(), key.disabledAt().isPresent(),
                    key.secretExpiresAt(secretHash).orElse(null), true, profile);
        }
    }

    /**
     * What a slot names by index, shared between keys alike: scopes and traffic controls (allowlist, rate limit:
     * the key's own or its organization's default, as the repository resolved it for verification), and for a user's
     * key its organization (null for an organization's key, whose slot holds it).
     */
    record Profile(Set<Permission> scopes, IpAllowlist allowlist, Optional<RateLimit> rateLimit,
                   OrganizationId organization) {
    }

    private final int maxKeys;
    private final int slots;
    private final ApiKeyVerificationObserver observer;
    /** Null when no key may be remembered (maxKeys 0). Written under the write lock only, except a slot's USED. */
    private final ByteBuffer table;
    private final StampedLock lock = new StampedLock();
    /** Profiles by index, shared between slots; the array is replaced (never changed) when it grows. */
    private volatile Profile[] scopeSets = newScopeArray(16);
    private final Map<Profile, Integer> scopeIndex = new HashMap<>();
    private int size;
    /**
     * Evictions by stripe of the secret hash, bumped by each (every stripe by a reset): a lookup that raced with one
     * of its stripe is not remembered, as it may predate the change. Striped, so that a steady stream of changes to
     * other keys does not keep every new key out of the table.
     */
    private final long[] evictions = new long[EVICTION_STRIPES];
    /** The minute before which a full table is not swept again (a sweep reads every slot). */
    private long nextSweepMinute = Long.MIN_VALUE;
    private volatile boolean trusted;

    RecentKeyLookups(int maxKeys, ApiKeyVerificationObserver observer) {
        if (maxKeys < 0) throw new IllegalArgumentException("maxKeys must be ≥ 0");
        this.maxKeys = maxKeys;
        this.slots = maxKeys == 0 ? 0 : (int) Math.max(16, Math.ceil(maxKeys * SLOTS_PER_KEY));
        if ((long) slots * SLOT_BYTES > Integer.MAX_VALUE) throw new IllegalArgumentException("maxKeys too large");
        this.table = slots == 0 ? null : ByteBuffer.allocateDirect(slots * SLOT_BYTES);
        this.observer = observer;
    }

    RecentKeyLookups(int maxKeys) {
        this(maxKeys, ApiKeyVerificationObserver.NONE);
    }

    /** The key with this hash as of a lookup by {@code load} (now or earlier); empty if there is none. */
    Optional<VerifiedKey> get(String secretHash, Instant now, Function<String, Optional<ApiKey>> load) {
        if (!trusted || table == null || !isHash(secretHash)) {
            observer.cacheMiss();
            return load.apply(secretHash).map(k -> VerifiedKey.of(k, secretHash));
        }
        long h0 = high(secretHash), h1 = low(secretHash);
        int minute = minute(now);
        VerifiedKey hit = find(h0, h1, minute);
        if (hit != null) {
            observer.cacheHit();
            return Optional.of(hit);
        }
        observer.cacheMiss();
        long generation;
        long stamp = lock.readLock();
        try {
            generation = evictions[stripe(h1)];
        } finally {
            lock.unlockRead(stamp);
        }
        Optional<ApiKey> key = load.apply(secretHash);
        if (key.isEmpty()) return Optional.empty();
        int used = key.get().lastUsedAt().map(RecentKeyLookups::minute).orElse(NEVER);
        boolean recordUse = !recent(used, minute);
        VerifiedKey found = VerifiedKey.of(key.get(), secretHash);
        remember(h0, h1, found, recordUse ? minute : used, minute, generation);
        return Optional.of(recordUse ? found : withoutRecording(found));
    }

    /** Optimistically without a lock (read again under the read lock if a writer interfered); null if not there. */
    private VerifiedKey find(long h0, long h1, int minute) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                int at = slotOf(h0, h1);
                VerifiedKey key = at < 0 ? null : read(at, minute);
                if (lock.validate(stamp)) return claimed(key, at, minute);
            } catch (RuntimeException raced) { // an index read while a writer changed the slot: read again, locked
                if (lock.validate(stamp)) throw raced;
            }
        }
        stamp = lock.readLock();
        try {
            int at = slotOf(h0, h1);
            return at < 0 ? null : claimed(read(at, minute), at, minute);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Under a lock: the offset of the slot holding this secret hash, or -1 (also for what is no hash). */
    private int slotOf(String secretHash) {
        return table == null || !isHash(secretHash) ? -1 : slotOf(high(secretHash), low(secretHash));
    }

    /** The offset of the slot holding this hash, or -1. */
    private int slotOf(long h0, long h1) {
        for (int i = home(h0), probes = 0; probes < slots; i = next(i), probes++) {
            int at = i * SLOT_BYTES;
            long s0 = table.getLong(at + H0), s1 = table.getLong(at + H1);
            if (s0 == 0 && s1 == 0) return -1;
            if (s0 == h0 && s1 == h1) return at;
        }
        return -1;
    }

    private VerifiedKey read(int at, int minute) {
        long expires = table.getLong(at + EXPIRES);
        Profile profile = scopeSets[table.getShort(at + SCOPES)];
        byte state = table.get(at + STATE);
        UUID subject = new UUID(table.getLong(at + SUBJECT_HIGH), table.getLong(at + SUBJECT_LOW));
        boolean owned = (state & OWNED) != 0;
        return new VerifiedKey(new ApiKeyId(new UUID(table.getLong(at + ID_HIGH), table.getLong(at + ID_LOW))),
                owned ? profile.organization() : new OrganizationId(subject), owned ? new UserId(subject) : null,
                profile.scopes(), (state & STATE_MASK) == STATE_REVOKED, (state & STATE_MASK) == STATE_DISABLED,
                expires == NO_EXPIRY ? null : Instant.EPOCH.plus(expires, ChronoUnit.MICROS),
                !recent(table.getInt(at + USED), minute), profile);
    }

    /**
     * Takes this use's recording, once the read was valid. Without the write lock: another reader may take it too
     * (the use is recorded twice, harmless), or a writer may just have moved another key into the slot (that key's
     * use is then recorded up to one interval late). Nothing else in a slot is ever written outside the write lock.
     */
    private VerifiedKey claimed(VerifiedKey key, int at, int minute) {
        if (key != null && key.recordUse()) table.putInt(at + USED, minute);
        return key;
    }

    private void remember(long h0, long h1, VerifiedKey key, int used, int minute, long generation) {
        long stamp = lock.writeLock();
        try {
            // a load that an eviction since may have outdated is never put
            if (!trusted || evictions[stripe(h1)] != generation) return;
            if (slotOf(h0, h1) >= 0) return; // remembered meanwhile by another request
            if (!hasRoom(minute)) return;
            int scopes = intern(key.profile());
            if (scopes < 0) return;
            int i = home(h0); // the first free slot of the probe run (a sweep may have moved keys since the probe)
            while (table.getLong(i * SLOT_BYTES + H0) != 0 || table.getLong(i * SLOT_BYTES + H1) != 0) i = next(i);
            int at = i * SLOT_BYTES;
            table.putLong(at + ID_HIGH, key.id().value().getMostSignificantBits());
            table.putLong(at + ID_LOW, key.id().value().getLeastSignificantBits());
            // for a previous secret, the end of its grace period: it stops there on every node without a read
            table.putLong(at + EXPIRES, key.expiresAt() == null ? NO_EXPIRY : micros(key.expiresAt()));
            UUID subject = key.owner() != null ? key.owner().value() : key.organizationId().value();
            table.putLong(at + SUBJECT_HIGH, subject.getMostSignificantBits());
            table.putLong(at + SUBJECT_LOW, subject.getLeastSignificantBits());
            table.putInt(at + USED, used);
            table.putShort(at + SCOPES, (short) scopes);
            byte state = key.revoked() ? STATE_REVOKED : key.disabled() ? STATE_DISABLED : 0;
            table.put(at + STATE, (byte) (key.owner() != null ? state | OWNED : state));
            table.putLong(at + H1, h1);
            table.putLong(at + H0, h0);
            size++;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Under the write lock: room for one more key, after sweeping out idle ones (at most once a minute). */
    private boolean hasRoom(int minute) {
        if (size < maxKeys) return true;
        if (minute < nextSweepMinute) return false;
        nextSweepMinute = (long) minute + 1;
        for (int i = 0; i < slots; ) {
            int at = i * SLOT_BYTES;
            boolean occupied = table.getLong(at + H0) != 0 || table.getLong(at + H1) != 0;
            if (occupied && minute - (long) table.getInt(at + USED) >= IDLE.toMinutes()) {
                delete(i); // a later key may have moved into slot i: look at it again
            } else {
                i++;
            }
        }
        return size < maxKeys;
    }

    /** Under the write lock: empties slot {@code i}, moving later keys of its probe run back (no tombstones). */
    private void delete(int i) {
        int hole = i;
        for (int j = next(hole); ; j = next(j)) {
            int at = j * SLOT_BYTES;
            long s0 = table.getLong(at + H0);
            if (s0 == 0 && table.getLong(at + H1) == 0) break;
            int home = home(s0);
            // the key at j may fill the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (stays) continue;
            copy(j, hole);
            hole = j;
        }
        clear(hole);
        size--;
    }

    private void copy(int from, int to) {
        for (int offset = 0; offset < SLOT_BYTES; offset += 8) {
            table.putLong(to * SLOT_BYTES + offset, table.getLong(from * SLOT_BYTES + offset));
        }
    }

    private void clear(int slot) {
        for (int offset = 0; offset < SLOT_BYTES; offset += 8) table.putLong(slot * SLOT_BYTES + offset, 0);
    }

    private int intern(Profile scopes) {
        Integer index = scopeIndex.get(scopes);
        if (index != null) return index;
        int next = scopeIndex.size();
        if (next >= MAX_SCOPE_SETS) return -1;
        Profile[] current = scopeSets;
        if (next == current.length) scopeSets = current = Arrays.copyOf(current, current.length * 2);
        current[next] = scopes;
        scopeIndex.put(scopes, next);
        return next;
    }

    /** The use this lookup took the recording of was not recorded after all: the next one is to be. */
    void useNotRecorded(String secretHash) {
        long stamp = lock.readLock();
        try {
            int at = slotOf(secretHash);
            if (at >= 0) table.putInt(at + USED, NEVER);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    int size() {
        long stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    void evict(String secretHash) {
        long stamp = lock.writeLock();
        try {
            if (isHash(secretHash)) evictions[stripe(low(secretHash))]++;
            else evictAll();
            int at = slotOf(secretHash);
            if (at >= 0) delete(at / SLOT_BYTES);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    void distrust() {
        reset(false);
    }

    void trust() {
        reset(true);
    }

    /** Forgets every key (and the scope sets they named, which are otherwise never dropped). */
    private void reset(boolean trust) {
        long stamp = lock.writeLock();
        try {
            trusted = trust;
            evictAll();
            if (table != null && size > 0) {
                for (int at = 0; at < slots * SLOT_BYTES; at += 8) table.putLong(at, 0);
            }
            size = 0;
            scopeIndex.clear();
            scopeSets = newScopeArray(16);
            nextSweepMinute = Long.MIN_VALUE;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private static int stripe(long h1) {
        return (int) h1 & (EVICTION_STRIPES - 1);
    }

    /** Under the write lock: no lookup in progress may be remembered. */
    private void evictAll() {
        for (int i = 0; i < EVICTION_STRIPES; i++) evictions[i]++;
    }

    private int home(long h0) {
        return (int) Long.remainderUnsigned(h0, slots);
    }

    private int next(int i) {
        return i + 1 == slots ? 0 : i + 1;
    }

    private static boolean recent(int usedMinute, int minute) {
        return usedMinute != NEVER && (long) minute - usedMinute < USE_RECORDING_INTERVAL.toMinutes();
    }

    private static VerifiedKey withoutRecording(VerifiedKey key) {
        return new VerifiedKey(key.id(), key.organizationId(), key.owner(), key.scopes(), key.revoked(), key.disabled(),
                key.expiresAt(), false, key.profile());
    }

    /** Minutes since the epoch: an int until the year 6053. */
    private static int minute(Instant at) {
        return (int) Math.floorDiv(at.getEpochSecond(), 60);
    }

    private static long micros(Instant at) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }

    /** The first 64 bits of a hex hash ({@link #isHash}). */
    private static long high(String hash) {
        return Long.parseUnsignedLong(hash, 0, 16, 16);
    }

    /** Bits 64–127 of a hex hash: with {@link #high}, what a slot is found by. */
    private static long low(String hash) {
        return Long.parseUnsignedLong(hash, 16, 32, 16);
    }

    /** 64 lowercase hex digits, as hashes are made; anything else is looked up without being remembered. */
    private static boolean isHash(String hex) {
        if (hex.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return !hex.startsWith("00000000000000000000000000000000"); // all-zero 128 bits mark an empty slot
    }

    private static Profile[] newScopeArray(int length) {
        return new Profile[length];
    }
}
