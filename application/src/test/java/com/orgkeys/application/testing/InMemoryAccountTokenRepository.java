package com.orgkeys.application.testing;

import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenId;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import com.orgkeys.domain.shared.ConflictException;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

public final class InMemoryAccountTokenRepository implements AccountTokenRepository {
    private final InMemoryStore store;

    public InMemoryAccountTokenRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void insert(AccountToken token) {
        store.write(() -> {
            InMemoryStore.requireReference(store.users().containsKey(token.userId()), "user");
            boolean taken = store.accountTokens().containsKey(token.id()) || store.accountTokens().values().stream()
                    .anyMatch(t -> t.tokenHash().equals(token.tokenHash()));
            if (taken) throw new ConflictException("already exists");
            store.accountTokens().put(token.id(), token);
        });
    }

    @Override
    public Optional<AccountToken> findUsable(AccountTokenPurpose purpose, String tokenHash, Instant now) {
        return store.read(() -> usable(purpose, tokenHash, now));
    }

    @Override
    public Optional<AccountToken> consume(AccountTokenPurpose purpose, String tokenHash, Instant now) {
        return store.writeAndAnswer(() -> usable(purpose, tokenHash, now).map(t -> {
            AccountToken used = t.usedAt(now);
            store.accountTokens().put(t.id(), used);
            return used;
        }));
    }

    @Override
    public boolean consume(AccountTokenId id, Instant now) {
        return store.writeAndAnswer(() -> {
            AccountToken t = store.accountTokens().get(id);
            if (t == null || !t.isUsableAt(now)) return false;
            store.accountTokens().put(id, t.usedAt(now));
            return true;
        });
    }

    @Override
    public Optional<AccountToken> reserveCodeAttempt(UserId userId, AccountTokenPurpose purpose, int maxAttempts,
                                                     Instant issuedAfter, Instant now) {
        return store.writeAndAnswer(() -> store.accountTokens().values().stream()
                .filter(t -> t.userId().equals(userId) && t.purpose() == purpose && t.isUsableAt(now)
                        && t.codeHash().isPresent() && t.createdAt().isAfter(issuedAfter))
                .max(Comparator.comparing(AccountToken::createdAt))
                .filter(t -> t.attempts() < maxAttempts)
                .map(t -> {
                    AccountToken counted = t.withAttempts(t.attempts() + 1);
                    store.accountTokens().put(t.id(), counted);
                    return counted;
                }));
    }

    @Override
    public Optional<AccountToken> reserveAttempt(AccountTokenId id, int maxAttempts, Instant now) {
        return store.writeAndAnswer(() -> Optional.ofNullable(store.accountTokens().get(id))
                .filter(t -> t.isUsableAt(now) && t.attempts() < maxAttempts)
                .map(t -> {
                    AccountToken counted = t.withAttempts(t.attempts() + 1);
                    store.accountTokens().put(t.id(), counted);
                    return counted;
                }));
    }

    @Override
    public int invalidate(UserId userId, AccountTokenPurpose purpose, Instant now) {
        return store.writeAndAnswer(() -> {
            List<AccountToken> usable = store.accountTokens().values().stream()
                    .filter(t -> t.userId().equals(userId) && t.purpose() == purpose && t.isUsableAt(now)).toList();
            usable.forEach(t -> store.accountTokens().put(t.id(), t.usedAt(now)));
            return usable.size();
        });
    }

    @Override
    public int deleteEndedBefore(Instant cutoff, int limit) {
        return store.writeAndAnswer(() -> {
            List<AccountTokenId> ended = store.accountTokens().values().stream()
                    .filter(t -> t.usedAt().map(u -> u.isBefore(cutoff)).orElse(false) || t.expiresAt().isBefore(cutoff))
                    .limit(limit).map(AccountToken::id).toList();
            ended.forEach(store.accountTokens()::remove);
            return ended.size();
        });
    }

    private Optional<AccountToken> usable(AccountTokenPurpose purpose, String tokenHash, Instant now) {
        return store.accountTokens().values().stream()
                .filter(t -> t.tokenHash().equals(tokenHash) && t.purpose() == purpose && t.isUsableAt(now))
                .findFirst();
    }
}
