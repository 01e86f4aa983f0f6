package com.orgkeys.application.testing;

import com.orgkeys.application.testing.InMemoryStore.RecoveryCodeKey;
import com.orgkeys.application.twofactor.port.out.TwoFactorRepository;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.twofactor.TotpFactor;
import com.orgkeys.domain.twofactor.TotpFactor.EncryptedSecret;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

public final class InMemoryTwoFactorRepository implements TwoFactorRepository {
    private final InMemoryStore store;

    public InMemoryTwoFactorRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public Optional<TotpFactor> findTotp(UserId userId) {
        return store.read(() -> Optional.ofNullable(store.totpFactors().get(userId)));
    }

    @Override
    public Factors factors(UserId userId) {
        return store.read(() -> {
            TotpFactor factor = store.totpFactors().get(userId);
            return new Factors(factor != null && factor.enabled(),
                    store.passkeys().values().stream().anyMatch(p -> p.userId().equals(userId)));
        });
    }

    @Override
    public boolean savePendingTotp(TotpFactor pending) {
        if (pending.enabled()) throw new IllegalArgumentException("not a pending factor");
        return store.writeAndAnswer(() -> {
            InMemoryStore.requireReference(store.users().containsKey(pending.userId()), "user");
            TotpFactor existing = store.totpFactors().get(pending.userId());
            if (existing != null && existing.enabled()) return false;
            store.totpFactors().put(pending.userId(), new TotpFactor(pending.userId(), pending.secret(),
                    pending.createdAt(), Optional.empty(), OptionalLong.empty()));
            return true;
        });
    }

    @Override
    public boolean confirmTotp(UserId userId, EncryptedSecret secret, long step, Instant now) {
        return store.writeAndAnswer(() -> {
            TotpFactor f = store.totpFactors().get(userId);
            if (f == null || f.enabled() || !f.secret().equals(secret)) return false;
            store.totpFactors().put(userId, new TotpFactor(userId, f.secret(), f.createdAt(), Optional.of(now),
                    OptionalLong.of(step)));
            return true;
        });
    }

    @Override
    public boolean useTotpStep(UserId userId, long step) {
        return store.writeAndAnswer(() -> {
            TotpFactor f = store.totpFactors().get(userId);
            if (f == null || !f.enabled() || !f.accepts(step)) return false;
            store.totpFactors().put(userId, new TotpFactor(userId, f.secret(), f.createdAt(), f.confirmedAt(),
                    OptionalLong.of(step)));
            return true;
        });
    }

    @Override
    public boolean deleteTotp(UserId userId) {
        return store.writeAndAnswer(() -> store.totpFactors().remove(userId) != null);
    }

    @Override
    public void deleteRecoveryCodes(UserId userId) {
        store.write(() -> store.recoveryCodes().keySet().removeIf(k -> k.userId().equals(userId)));
    }

    @Override
    public void replaceRecoveryCodes(UserId userId, List<String> codeHashes, Instant now) {
        store.write(() -> {
            InMemoryStore.requireReference(store.users().containsKey(userId), "user");
            store.recoveryCodes().keySet().removeIf(k -> k.userId().equals(userId));
            codeHashes.forEach(h -> store.recoveryCodes().put(new RecoveryCodeKey(userId, h), Optional.empty()));
        });
    }

    @Override
    public boolean useRecoveryCode(UserId userId, String codeHash, Instant now) {
        return store.writeAndAnswer(() -> {
            RecoveryCodeKey key = new RecoveryCodeKey(userId, codeHash);
            Optional<Instant> usedAt = store.recoveryCodes().get(key);
            if (usedAt == null || usedAt.isPresent()) return false;
            store.recoveryCodes().put(key, Optional.of(now));
            return true;
        });
    }

    @Override
    public int recoveryCodesLeft(UserId userId) {
        return store.read(() -> (int) store.recoveryCodes().entrySet().stream()
                .filter(e -> e.getKey().userId().equals(userId) && e.getValue().isEmpty()).count());
    }
}
