package com.orgkeys.domain.passkey;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.accounttoken.AccountTokenId;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A WebAuthn ceremony under way: the options (with their random challenge) the server sent to the browser, kept
 * until the browser answers, at most {@link #LIFETIME}, and used once. A registration belongs to its user; a second
 * factor to the pending sign-in (its {@code SECOND_FACTOR} account token) of its user; a passwordless sign-in to
 * nobody yet.
 */
public record PasskeyCeremony(UUID id, Purpose purpose, Optional<UserId> userId, Optional<AccountTokenId> signIn,
                              String request, Instant expiresAt) {
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    public enum Purpose {
        REGISTRATION, SIGN_IN, SECOND_FACTOR
    }

    public PasskeyCeremony {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(signIn, "signIn");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if ((purpose == Purpose.SIGN_IN) != userId.isEmpty()) {
            throw new IllegalArgumentException("only a passwordless sign-in has no user");
        }
        if ((purpose == Purpose.SECOND_FACTOR) != signIn.isPresent()) {
            throw new IllegalArgumentException("a second factor, and only it, belongs to a pending sign-in");
        }
    }

    public static PasskeyCeremony registration(UserId user, String request, Instant now) {
        return new PasskeyCeremony(UUID.randomUUID(), Purpose.REGISTRATION, Optional.of(user), Optional.empty(),
                request, now.plus(LIFETIME));
    }

    public static PasskeyCeremony signIn(String request, Instant now) {
        return new PasskeyCeremony(UUID.randomUUID(), Purpose.SIGN_IN, Optional.empty(), Optional.empty(), request,
                now.plus(LIFETIME));
    }

    public static PasskeyCeremony secondFactor(UserId user, AccountTokenId pendingSignIn, String request,
                                               Instant now) {
        return new PasskeyCeremony(UUID.randomUUID(), Purpose.SECOND_FACTOR, Optional.of(user),
                Optional.of(pendingSignIn), request, now.plus(LIFETIME));
    }

    @Override
    public String toString() {
        return "PasskeyCeremony[" + id + ", " + purpose + "]";
    }
}
