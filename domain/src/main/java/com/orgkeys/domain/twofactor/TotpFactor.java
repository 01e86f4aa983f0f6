package com.orgkeys.domain.twofactor;

import com.orgkeys.domain.account.UserId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A user's authenticator app: its secret encrypted under version {@code keyVersion} of the server's two-factor key,
 * pending until a first code confirms it ({@code confirmedAt}), and the last time step a code was accepted for
 * (a code works once: a step at or before it is refused).
 */
public record TotpFactor(UserId userId, EncryptedSecret secret, Instant createdAt, Optional<Instant> confirmedAt,
                         OptionalLong lastUsedStep) {
    public TotpFactor {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(confirmedAt, "confirmedAt");
        Objects.requireNonNull(lastUsedStep, "lastUsedStep");
    }

    /** A new factor waiting for its first code. */
    public static TotpFactor pending(UserId userId, EncryptedSecret secret, Instant now) {
        return new TotpFactor(userId, secret, now, Optional.empty(), OptionalLong.empty());
    }

    /** Whether sign-ins need a code: the factor was confirmed. */
    public boolean enabled() {
        return confirmedAt.isPresent();
    }

    /** Whether a code of {@code step} may still be accepted (it is after the last one accepted). */
    public boolean accepts(long step) {
        return lastUsedStep.isEmpty() || step > lastUsedStep.getAsLong();
    }

    /** An AES-GCM ciphertext (IV included) and the version of the key it was made with. */
    public record EncryptedSecret(int keyVersion, byte[] ciphertext) {
        public EncryptedSecret {
            if (keyVersion < 1) throw new IllegalArgumentException("keyVersion must be at least 1");
            Objects.requireNonNull(ciphertext, "ciphertext");
            ciphertext = ciphertext.clone();
        }

        @Override
        public byte[] ciphertext() {
            return ciphertext.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof EncryptedSecret that && keyVersion == that.keyVersion
                    && java.util.Arrays.equals(ciphertext, that.ciphertext);
        }

        @Override
        public int hashCode() {
            return 31 * keyVersion + java.util.Arrays.hashCode(ciphertext);
        }

        @Override
        public String toString() {
            return "EncryptedSecret[v" + keyVersion + "]";
        }
    }
}
