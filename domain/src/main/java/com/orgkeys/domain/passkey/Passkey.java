package com.orgkeys.domain.passkey;

import com.orgkeys.domain.account.UserId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A WebAuthn credential of a user (a passkey): its credential id and COSE public key (both base64url, as the
 * browser and the verifier exchange them), the authenticator's signature counter as last seen (clone detection),
 * and the user's name for it.
 */
public record Passkey(PasskeyId id, UserId userId, String credentialId, String publicKeyCose, long signatureCount,
                      PasskeyName name, Instant createdAt, Optional<Instant> lastUsedAt) {
    public Passkey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(publicKeyCose, "publicKeyCose");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        if (credentialId.isEmpty() || publicKeyCose.isEmpty()) throw new IllegalArgumentException("empty credential");
        if (signatureCount < 0) throw new IllegalArgumentException("negative signature count");
    }

    public static Passkey register(UserId userId, String credentialId, String publicKeyCose, long signatureCount,
                                   PasskeyName name, Instant now) {
        return new Passkey(PasskeyId.random(), userId, credentialId, publicKeyCose, signatureCount, name, now,
                Optional.empty());
    }
}
