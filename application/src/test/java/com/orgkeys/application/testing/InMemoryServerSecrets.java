package com.orgkeys.application.testing;

import com.orgkeys.application.secret.port.out.ServerSecrets;
import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The server_secrets table in memory; counts reads so tests can see when a node reloads. */
public final class InMemoryServerSecrets implements ServerSecrets {
    private final List<ServerSecret> rows = new ArrayList<>();
    public final AtomicInteger reads = new AtomicInteger();

    @Override
    public synchronized boolean createFirst(ServerSecret first) {
        if (rows.stream().anyMatch(s -> s.purpose() == first.purpose())) return false;
        rows.add(first);
        return true;
    }

    @Override
    public synchronized boolean add(ServerSecret next) {
        if (rows.stream().anyMatch(s -> s.purpose() == next.purpose() && s.version() == next.version())) return false;
        rows.add(next);
        return true;
    }

    @Override
    public synchronized List<ServerSecret> versions(SecretPurpose purpose) {
        reads.incrementAndGet();
        return rows.stream().filter(s -> s.purpose() == purpose)
                .sorted(Comparator.comparingInt(ServerSecret::version).reversed()).toList();
    }

    @Override
    public synchronized int deleteOlderThan(SecretPurpose purpose, int version) {
        int before = rows.size();
        rows.removeIf(s -> s.purpose() == purpose && s.version() < version);
        return before - rows.size();
    }
}
