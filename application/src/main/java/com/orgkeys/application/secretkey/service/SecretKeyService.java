package com.orgkeys.application.secretkey.service;

import com.orgkeys.application.apikey.port.in.RevocationListener;
import com.orgkeys.application.secretkey.port.in.AuthenticateSecretKeyUseCase;
import com.orgkeys.application.secretkey.port.in.ManageSecretKeysUseCase;
import com.orgkeys.application.secretkey.port.out.SecretKeyRepository;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.secretkey.SecretKey;
import com.orgkeys.domain.secretkey.SecretKeyId;
import com.orgkeys.domain.secretkey.SecretKeySecret;
import com.orgkeys.domain.shared.NotFoundException;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backend secret keys. Verification remembers the active keys it found (a handful per instance) while the revocation
 * feed is connected, which evicts a key on every node when it is revoked; while the feed is down every verification
 * asks the database. Unknown secrets are never remembered, so nobody can fill the map.
 */
public final class SecretKeyService implements ManageSecretKeysUseCase, AuthenticateSecretKeyUseCase, RevocationListener {
    /** More would be a misuse (a key per customer belongs in API keys): then verification just asks the database. */
    static final int MAX_REMEMBERED = 1_000;

    private final SecretKeyRepository keys;
    private final TransactionRunner tx;
    private final Clock clock;
    private final Map<String, SecretKeyId> active = new ConcurrentHashMap<>();
    private volatile boolean trusted;
    /** Bumped by every eviction: a lookup that raced with one is not remembered (it may predate the revocation). */
    private final AtomicLong evictions = new AtomicLong();

    public SecretKeyService(SecretKeyRepository keys, TransactionRunner tx, Clock clock) {
        this.keys = keys;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public CreatedSecretKey createSecretKey(String operator, String name) {
        Objects.requireNonNull(operator, "operator");
        SecretKeySecret secret = SecretKeySecret.generate();
        SecretKey key = new SecretKey(SecretKeyId.random(), name, secret.hash(), secret.hint(), operator,
                clock.instant(), Optional.empty(), Optional.empty());
        tx.inTransaction(() -> keys.insert(key));
        return new CreatedSecretKey(key, secret.reveal());
    }

    @Override
    public List<SecretKey> listSecretKeys() {
        return keys.all();
    }

    @Override
    public SecretKey revokeSecretKey(String operator, SecretKeyId id) {
        Objects.requireNonNull(operator, "operator");
        Instant now = clock.instant();
        SecretKey result = tx.inTransaction(() -> {
            SecretKey key = keys.find(id).orElseThrow(() -> new NotFoundException("No secret key " + id + "."));
            SecretKey revoked = key.revoke(operator, now);
            if (revoked == key || !keys.markRevoked(revoked)) {
                return keys.find(id).orElseThrow(() -> new NotFoundException("No secret key " + id + "."));
            }
            return revoked;
        });
        keyRevoked(result.secretHash()); // this node at once, after the commit
        return result;
    }

    @Override
    public Optional<SecretKeyId> authenticate(String secret) {
        Optional<SecretKeySecret> parsed = SecretKeySecret.parse(secret);
        if (parsed.isEmpty()) return Optional.empty(); // malformed or mistyped: no database round trip
        String hash = parsed.get().hash();
        SecretKeyId remembered = trusted ? active.get(hash) : null;
        if (remembered != null) return Optional.of(remembered);
        long before = evictions.get();
        Optional<SecretKey> found = keys.findByHash(hash).filter(k -> !k.revoked());
        if (found.isPresent() && trusted && before == evictions.get() && active.size() < MAX_REMEMBERED) {
            active.put(hash, found.get().id());
            // an eviction between the check above and the put: forget again, it may have been this key's
            if (before != evictions.get()) active.remove(hash);
        }
        return found.map(SecretKey::id);
    }

    @Override
    public void keyRevoked(String secretHash) {
        evictions.incrementAndGet();
        active.remove(secretHash);
    }

    @Override
    public void keyRevoked(String secretHash, Instant sentAt) {
        keyRevoked(secretHash);
    }

    @Override
    public void feedInterrupted() {
        trusted = false;
        evictions.incrementAndGet();
        active.clear();
    }

    @Override
    public void feedRestored() {
        evictions.incrementAndGet();
        active.clear();
        trusted = true;
    }
}
