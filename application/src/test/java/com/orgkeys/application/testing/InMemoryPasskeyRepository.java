package com.orgkeys.application.testing;

import com.orgkeys.application.passkey.port.out.PasskeyRepository;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.passkey.PasskeyCeremony;
import com.orgkeys.domain.passkey.PasskeyId;
import com.orgkeys.domain.passkey.PasskeyName;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public final class InMemoryPasskeyRepository implements PasskeyRepository {
    private final InMemoryStore store;

    public InMemoryPasskeyRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public boolean insert(Passkey passkey) {
        return store.writeAndAnswer(() -> {
            InMemoryStore.requireReference(store.users().containsKey(passkey.userId()), "user");
            if (store.passkeys().values().stream().anyMatch(p -> p.credentialId().equals(passkey.credentialId()))) {
                return false;
            }
            store.passkeys().put(passkey.id(), passkey);
            return true;
        });
    }

    @Override
    public List<Passkey> listFor(UserId userId) {
        // as ORDER BY created_at, id: PostgreSQL orders uuids by their bytes, i.e. by their text
        return store.read(() -> store.passkeys().values().stream().filter(p -> p.userId().equals(userId))
                .sorted(Comparator.comparing(Passkey::createdAt).thenComparing(p -> p.id().value().toString()))
                .toList());
    }

    @Override
    public Optional<Passkey> findByCredentialId(String credentialId) {
        return store.read(() -> store.passkeys().values().stream()
                .filter(p -> p.credentialId().equals(credentialId)).findFirst());
    }

    @Override
    public boolean rename(UserId userId, PasskeyId id, PasskeyName name) {
        return store.writeAndAnswer(() -> {
            Passkey p = store.passkeys().get(id);
            if (p == null || !p.userId().equals(userId)) return false;
            store.passkeys().put(id, new Passkey(id, userId, p.credentialId(), p.publicKeyCose(), p.signatureCount(),
                    name, p.createdAt(), p.lastUsedAt()));
            return true;
        });
    }

    @Override
    public Optional<Passkey> delete(UserId userId, PasskeyId id) {
        return store.writeAndAnswer(() -> {
            Passkey p = store.passkeys().get(id);
            if (p == null || !p.userId().equals(userId)) return Optional.empty();
            store.passkeys().remove(id);
            return Optional.of(p);
        });
    }

    @Override
    public boolean recordUse(PasskeyId id, long previousCount, long newCount, Instant now) {
        return store.writeAndAnswer(() -> {
            Passkey p = store.passkeys().get(id);
            if (p == null || p.signatureCount() != previousCount) return false;
            store.passkeys().put(id, new Passkey(id, p.userId(), p.credentialId(), p.publicKeyCose(), newCount,
                    p.name(), p.createdAt(), Optional.of(now)));
            return true;
        });
    }

    @Override
    public void saveCeremony(PasskeyCeremony ceremony, Instant now) {
        store.write(() -> {
            ceremony.userId().ifPresent(u -> InMemoryStore.requireReference(store.users().containsKey(u), "user"));
            store.passkeyCeremonies().values().removeIf(c -> !c.expiresAt().isAfter(now));
            ceremony.signIn().ifPresent(signIn ->
                    store.passkeyCeremonies().values().removeIf(c -> c.signIn().equals(Optional.of(signIn))));
            store.passkeyCeremonies().put(ceremony.id(), ceremony);
        });
    }

    @Override
    public Optional<PasskeyCeremony> takeCeremony(UUID id, PasskeyCeremony.Purpose purpose, Instant now) {
        return store.writeAndAnswer(() -> {
            PasskeyCeremony c = store.passkeyCeremonies().get(id);
            if (c == null || c.purpose() != purpose || !c.expiresAt().isAfter(now)) return Optional.empty();
            store.passkeyCeremonies().remove(id);
            return Optional.of(c);
        });
    }
}
