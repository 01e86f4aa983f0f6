package com.orgkeys.application.testing;

import com.orgkeys.application.secretkey.port.out.SecretKeyRepository;
import com.orgkeys.domain.secretkey.SecretKey;
import com.orgkeys.domain.secretkey.SecretKeyId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Backend secret keys in memory; counts lookups by hash, so that tests see when verification asks the store. */
public final class InMemorySecretKeyRepository implements SecretKeyRepository {
    private final Map<SecretKeyId, SecretKey> keys = new LinkedHashMap<>();
    public final AtomicInteger lookups = new AtomicInteger();

    @Override
    public synchronized void insert(SecretKey key) {
        if (keys.containsKey(key.id()) || keys.values().stream().anyMatch(k -> k.secretHash().equals(key.secretHash()))) {
            throw new IllegalStateException("duplicate secret key " + key.id());
        }
        keys.put(key.id(), key);
    }

    @Override
    public synchronized Optional<SecretKey> find(SecretKeyId id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public synchronized Optional<SecretKey> findByHash(String secretHash) {
        lookups.incrementAndGet();
        return keys.values().stream().filter(k -> k.secretHash().equals(secretHash)).findFirst();
    }

    @Override
    public synchronized List<SecretKey> all() {
        List<SecretKey> all = new ArrayList<>(keys.values());
        all.sort(Comparator.comparing(SecretKey::createdAt).reversed().thenComparing(k -> k.id().value()));
        return all;
    }

    @Override
    public synchronized boolean markRevoked(SecretKey revoked) {
        SecretKey current = keys.get(revoked.id());
        if (current == null || current.revoked()) return false;
        keys.put(revoked.id(), revoked);
        return true;
    }
}
