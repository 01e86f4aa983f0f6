package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.ApiKeyVerificationObserver;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Remembers key lookups by secret hash for a short time, so that a program sending thousands of requests a
 * second with one key costs the database a handful of lookups. It is only trusted while a revocation feed
 * (PostgreSQL LISTEN/NOTIFY) is connected: every revocation, in any process, evicts the key everywhere; when the
 * feed is down, every verification goes to the database. Expiry is checked on every request regardless.
 * <p>
 * Only keys that exist are remembered: anyone can send well-formed unknown keys, as many as they like, and they
 * must never push out the keys of real programs. When full, expired entries make room; if none has expired, a
 * new key is simply not remembered (it is looked up each time) rather than forgetting live ones.
 */
final class RecentKeyLookups {
    /**
     * The cache's budget: {@link #ENTRY_BYTES} per key makes ~100,000 keys. An ApiKey with its strings, optionals
     * and scope set took about 1 KB (~100 MB for as many keys, in a 160 MB heap); an entry keeps only what
     * verification needs.
     */
    static final long MAX_BYTES = 16L << 20;
    /**
     * Per key, on a 64-bit JVM with compressed pointers: the entry (header, 4 longs of ids, 2 references, a boolean,
     * its load time: 64), its map key (header and 4 longs of the hash: 48), the map's node (32) and table slot
     * (at most 8 per entry at its load factor, doubled while it resizes): 160.
     */
    static final int ENTRY_BYTES = 160;
    static final int MAX_ENTRIES = (int) (MAX_BYTES / ENTRY_BYTES);
    /** Distinct scope sets shared between entries; beyond this many, an entry keeps its own copy. */
    private static final int MAX_SHARED_SCOPE_SETS = 1_024;

    /** A key as verification needs it: who it is, whose, what it may do, whether it is revoked, when it expires. */
    record VerifiedKey(long idHigh, long idLow, long organizationHigh, long organizationLow, Set<Permission> scopes,
                       boolean revoked, Instant expiresAt, long loadedAtNanos) {
        ApiKeyId id() {
            return new ApiKeyId(new UUID(idHigh, idLow));
        }

        OrganizationId organizationId() {
            return new OrganizationId(new UUID(organizationHigh, organizationLow));
        }

        ApiKeyStatus statusAt(Instant now) {
            return ApiKey.statusAt(revoked, expiresAt, now);
        }
    }

    /** A SHA-256 as four longs: 48 bytes, where its 64 hex characters as a String take 104. */
    private record Hash(long a, long b, long c, long d) {
        /** Null unless {@code hex} is 64 lowercase hex digits, as hashes are made (then it is looked up uncached). */
        static Hash of(String hex) {
            if (hex.length() != 64) return null;
            for (int i = 0; i < 64; i++) { // one string per value: no sign, no upper case
                char c = hex.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return null;
            }
            return new Hash(Long.parseUnsignedLong(hex, 0, 16, 16), Long.parseUnsignedLong(hex, 16, 32, 16),
                    Long.parseUnsignedLong(hex, 32, 48, 16), Long.parseUnsignedLong(hex, 48, 64, 16));
        }
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final ApiKeyVerificationObserver observer;
    private final Map<Hash, VerifiedKey> entries = new ConcurrentHashMap<>();
    private final Map<Set<Permission>, Set<Permission>> scopeSets = new ConcurrentHashMap<>();
    /** Bumped by every eviction: a lookup that raced with one is not cached (it may predate the revocation). */
    private final AtomicLong evictions = new AtomicLong();
    /**
     * When a full map may next be swept for expired entries: not before its oldest entry expires, and at most ten
     * times per TTL, so that a map full of live entries is not swept on every request.
     */
    private final AtomicLong nextSweepNanos;
    private volatile boolean trusted;

    RecentKeyLookups(Duration ttl, ApiKeyVerificationObserver observer) {
        this(ttl, MAX_ENTRIES, System::nanoTime, observer);
    }

    RecentKeyLookups(Duration ttl, int maxEntries, LongSupplier nanoTime) {
        this(ttl, maxEntries, nanoTime, ApiKeyVerificationObserver.NONE);
    }

    RecentKeyLookups(Duration ttl, int maxEntries, LongSupplier nanoTime, ApiKeyVerificationObserver observer) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
        this.observer = observer;
        this.nextSweepNanos = new AtomicLong(nanoTime.getAsLong());
    }

    Optional<VerifiedKey> get(String secretHash, Function<String, Optional<ApiKey>> load) {
        Hash hash = Hash.of(secretHash);
        if (!trusted || ttlNanos <= 0 || hash == null) {
            observer.cacheMiss();
            return load.apply(secretHash).map(k -> compact(k, 0));
        }
        long now = nanoTime.getAsLong();
        VerifiedKey entry = entries.get(hash);
        if (entry != null && now - entry.loadedAtNanos() < ttlNanos) {
            observer.cacheHit();
            return Optional.of(entry);
        }
        observer.cacheMiss();
        long generation = evictions.get();
        Optional<VerifiedKey> key = load.apply(secretHash).map(k -> compact(k, now));
        if (key.isPresent() && trusted && hasRoomFor(hash, now)) {
            // atomic with evict/distrust: a load that an eviction since may have outdated is never put (a check
            // before an unlocked put let an eviction land between them, and the sweep in hasRoomFor widened that)
            synchronized (this) {
                if (trusted && evictions.get() == generation) entries.put(hash, key.get());
            }
        }
        return key;
    }

    private VerifiedKey compact(ApiKey key, long loadedAtNanos) {
        UUID id = key.id().value(), organization = key.organizationId().value();
        Set<Permission> scopes = Set.copyOf(key.scopes());
        Set<Permission> shared = scopeSets.get(scopes);
        if (shared == null && scopeSets.size() < MAX_SHARED_SCOPE_SETS) shared = scopeSets.putIfAbsent(scopes, scopes);
        return new VerifiedKey(id.getMostSignificantBits(), id.getLeastSignificantBits(),
                organization.getMostSignificantBits(), organization.getLeastSignificantBits(),
                shared == null ? scopes : shared, key.revokedAt().isPresent(), key.expiresAt().orElse(null), loadedAtNanos);
    }

    /** Bounded memory whatever callers send, without ever dropping an entry that is still fresh. */
    private boolean hasRoomFor(Hash hash, long now) {
        if (entries.size() < maxEntries || entries.containsKey(hash)) return true;
        long next = nextSweepNanos.get();
        if (now - next >= 0 && nextSweepNanos.compareAndSet(next, now + ttlNanos)) {
            entries.values().removeIf(e -> now - e.loadedAtNanos() >= ttlNanos);
            long oldest = entries.values().stream().mapToLong(VerifiedKey::loadedAtNanos).reduce(now, (a, b) -> a - b < 0 ? a : b);
            long oldestExpires = oldest + ttlNanos, soonest = now + ttlNanos / 10;
            nextSweepNanos.set(oldestExpires - soonest > 0 ? oldestExpires : soonest); // nanoTime may wrap: compare differences
        }
        return entries.size() < maxEntries;
    }

    int size() {
        return entries.size();
    }

    synchronized void evict(String secretHash) {
        evictions.incrementAndGet();
        Hash hash = Hash.of(secretHash);
        if (hash != null) entries.remove(hash);
    }

    synchronized void distrust() {
        trusted = false;
        evictions.incrementAndGet();
        entries.clear();
    }

    synchronized void trust() {
        evictions.incrementAndGet();
        entries.clear();
        trusted = true;
    }
}
