package com.orgkeys.application.secret.service;

import com.orgkeys.application.secret.port.in.ReadServerSecretsUseCase;
import com.orgkeys.application.secret.port.in.RotateServerSecretsUseCase;
import com.orgkeys.application.secret.port.out.ServerSecrets;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;
import com.orgkeys.domain.shared.ConflictException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Holds the current and the previous version of each server secret in memory. The first node to start creates
 * version 1; every node reloads every minute ({@link #reload()}, from the composition root) and, when asked for a
 * version newer than its current one, at once: a form signed by a node that saw a rotation verifies on one that
 * has not yet.
 */
public final class ServerSecretService implements ReadServerSecretsUseCase, RotateServerSecretsUseCase {
    /** Reloads for an unknown version are at most this frequent: made-up versions cost a few reads a second. */
    static final Duration MIN_RELOAD_INTERVAL = Duration.ofMillis(250);
    /**
     * The versions that verify: the current one and the one before it; every version for a purpose that
     * {@linkplain SecretPurpose#keepsOldVersions() keeps them} (one 32-byte key per rotation).
     */
    private static final int VERSIONS_HELD = 2;

    private final ServerSecrets secrets;
    private final TransactionRunner tx;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ReentrantLock reloading = new ReentrantLock();
    /** Per purpose, newest first. Replaced whole on reload. */
    private volatile Map<SecretPurpose, List<ServerSecret>> held;
    private long lastDemandReload;
    private boolean demandReloadedYet;

    /** Creates the first version of each purpose unless one exists, and loads them all. */
    public ServerSecretService(ServerSecrets secrets, TransactionRunner tx, Clock clock) {
        this(secrets, tx, clock, System::nanoTime);
    }

    ServerSecretService(ServerSecrets secrets, TransactionRunner tx, Clock clock, LongSupplier nanoTime) {
        this.secrets = secrets;
        this.tx = tx;
        this.clock = clock;
        this.nanoTime = nanoTime;
        for (SecretPurpose purpose : SecretPurpose.values()) {
            secrets.createFirst(ServerSecret.generate(purpose, 1, clock.instant()));
        }
        reload();
    }

    @Override
    public ServerSecret currentSecret(SecretPurpose purpose) {
        return held.get(purpose).getFirst();
    }

    @Override
    public Optional<ServerSecret> secret(SecretPurpose purpose, int version) {
        Optional<ServerSecret> found = find(purpose, version);
        if (found.isPresent() || version <= currentSecret(purpose).version()) return found;
        reloading.lock();
        try {
            found = find(purpose, version); // another request may have reloaded while this one waited
            if (found.isPresent()) return found;
            long now = nanoTime.getAsLong();
            if (demandReloadedYet && now - lastDemandReload < MIN_RELOAD_INTERVAL.toNanos()) return Optional.empty();
            demandReloadedYet = true;
            lastDemandReload = now;
            reload();
            return find(purpose, version);
        } finally {
            reloading.unlock();
        }
    }

    private Optional<ServerSecret> find(SecretPurpose purpose, int version) {
        return held.get(purpose).stream().filter(s -> s.version() == version).findFirst();
    }

    /** Reads every purpose's versions again: a rotation made on another node takes effect here. */
    public void reload() {
        Map<SecretPurpose, List<ServerSecret>> loaded = new EnumMap<>(SecretPurpose.class);
        for (SecretPurpose purpose : SecretPurpose.values()) {
            List<ServerSecret> versions = secrets.versions(purpose);
            if (versions.isEmpty()) throw new IllegalStateException("no server secret for " + purpose.value());
            int held = purpose.keepsOldVersions() ? versions.size() : Math.min(VERSIONS_HELD, versions.size());
            loaded.put(purpose, List.copyOf(versions.subList(0, held)));
        }
        held = loaded;
    }

    @Override
    public List<ServerSecret> rotateSecrets() {
        List<ServerSecret> added = tx.inTransaction(() -> {
            List<ServerSecret> result = new ArrayList<>();
            for (SecretPurpose purpose : SecretPurpose.values()) {
                ServerSecret current = secrets.versions(purpose).getFirst();
                ServerSecret next = current.next(clock.instant());
                if (!secrets.add(next)) {
                    throw new ConflictException("Another rotation of the " + purpose.value()
                            + " secret ran at the same time; nothing was changed. Run it again if you need a new key.");
                }
                // a key that encrypts data at rest (TOTP secrets) stays: what it encrypted names its version
                if (!purpose.keepsOldVersions()) secrets.deleteOlderThan(purpose, current.version());
                result.add(next);
            }
            return result;
        });
        reload();
        return added;
    }
}
