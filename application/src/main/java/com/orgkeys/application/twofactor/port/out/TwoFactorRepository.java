package com.orgkeys.application.twofactor.port.out;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.twofactor.TotpFactor;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A user's second factors: at most one authenticator app (TOTP), pending or confirmed, and their recovery codes
 * (SHA-256 hashes). Every change that decides whether a code is accepted is one atomic statement, so that two
 * requests (on one node or two) cannot both use one code.
 */
public interface TwoFactorRepository {
    Optional<TotpFactor> findTotp(UserId userId);

    /** The second factors a user has: a confirmed authenticator app, passkeys. */
    record Factors(boolean authenticatorApp, boolean passkey) {
        public boolean any() {
            return authenticatorApp || passkey;
        }
    }

    Factors factors(UserId userId);

    /**
     * Stores {@code pending} as the user's factor, replacing a pending one; false (and nothing changes) when the
     * user has a confirmed factor.
     */
    boolean savePendingTotp(TotpFactor pending);

    /**
     * Confirms the user's pending factor at {@code now} with the step of its first code, if it is still pending
     * and its secret is still {@code secret} (not replaced meanwhile); false otherwise.
     */
    boolean confirmTotp(UserId userId, TotpFactor.EncryptedSecret secret, long step, Instant now);

    /**
     * Records {@code step} as the last one accepted for the user's confirmed factor if it is after the last one;
     * false (a replay, or no confirmed factor) otherwise.
     */
    boolean useTotpStep(UserId userId, long step);

    /** Removes the user's authenticator app (pending or confirmed); whether one was there. Recovery codes stay. */
    boolean deleteTotp(UserId userId);

    /** Removes all the user's recovery codes, used or not. */
    void deleteRecoveryCodes(UserId userId);

    /** Replaces all the user's recovery codes with these hashes, created at {@code now}. */
    void replaceRecoveryCodes(UserId userId, List<String> codeHashes, Instant now);

    /** Marks the user's unused code with this hash used at {@code now}; false when there is none (or it was used). */
    boolean useRecoveryCode(UserId userId, String codeHash, Instant now);

    /** How many of the user's recovery codes are unused. */
    int recoveryCodesLeft(UserId userId);
}
