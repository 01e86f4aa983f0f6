package com.orgkeys.domain.accounttoken;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.UserId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A one-time secret mailed to {@code email} for one {@code purpose} of one user (a password reset link, an email
 * verification link and code…). Only SHA-256 hashes of the link token ({@code tokenHash}) and of the optional
 * short code ({@code codeHash}) are kept. Usable once, until {@code expiresAt}; {@code attempts} counts code guesses.
 */
public record AccountToken(AccountTokenId id, UserId userId, AccountTokenPurpose purpose, String tokenHash,
                           Optional<String> codeHash, Email email, Instant createdAt, Instant expiresAt,
                           Optional<Instant> usedAt, int attempts) {
    public AccountToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(usedAt, "usedAt");
        if (!expiresAt.isAfter(createdAt)) throw new IllegalArgumentException("expiresAt must be after createdAt");
        if (attempts < 0) throw new IllegalArgumentException("attempts must not be negative");
    }

    /** A new, unused token for {@code purpose}, valid for the purpose's validity from {@code now}. */
    public static AccountToken issue(UserId userId, AccountTokenPurpose purpose, String tokenHash,
                                     Optional<String> codeHash, Email email, Instant now) {
        return new AccountToken(AccountTokenId.random(), userId, purpose, tokenHash, codeHash, email, now,
                now.plus(purpose.validity()), Optional.empty(), 0);
    }

    public boolean isUsableAt(Instant now) {
        return usedAt.isEmpty() && now.isBefore(expiresAt);
    }

    public AccountToken usedAt(Instant at) {
        return new AccountToken(id, userId, purpose, tokenHash, codeHash, email, createdAt, expiresAt,
                Optional.of(at), attempts);
    }

    public AccountToken withAttempts(int count) {
        return new AccountToken(id, userId, purpose, tokenHash, codeHash, email, createdAt, expiresAt, usedAt, count);
    }

    /** The hashes are as good as the secrets for a guesser: not printed. */
    @Override
    public String toString() {
        return "AccountToken[id=" + id + ", user=" + userId + ", purpose=" + purpose.value() + "]";
    }
}
