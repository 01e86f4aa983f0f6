package com.orgkeys.application.testing;

import com.orgkeys.application.sessiontoken.port.out.SigningKeyRepository;
import com.orgkeys.domain.sessiontoken.SigningKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The signing_keys table in memory. */
public final class InMemorySigningKeyRepository implements SigningKeyRepository {
    private final List<SigningKey> rows = new ArrayList<>();

    @Override
    public synchronized boolean add(SigningKey key) {
        if (rows.stream().anyMatch(k -> k.generation() == key.generation() || k.kid().equals(key.kid()))) return false;
        rows.add(key);
        return true;
    }

    @Override
    public synchronized List<SigningKey> all() {
        return rows.stream().sorted(Comparator.comparingInt(SigningKey::generation).reversed()).toList();
    }

    @Override
    public synchronized int forgetPrivateKeysBelow(int generation) {
        int forgotten = 0;
        for (int i = 0; i < rows.size(); i++) {
            SigningKey key = rows.get(i);
            if (key.generation() < generation && key.privateKey().isPresent()) {
                rows.set(i, key.withoutPrivateKey());
                forgotten++;
            }
        }
        return forgotten;
    }
}
