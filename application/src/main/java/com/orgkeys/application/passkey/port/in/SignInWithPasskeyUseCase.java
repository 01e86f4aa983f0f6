package com.orgkeys.application.passkey.port.in;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.PasskeyOptions;

/**
 * Signing in with a passkey: without a password (the authenticator says whose passkey it is, and verifies its user
 * with a PIN or biometrics: two factors in one, so no second step follows), or as the second step of a sign-in
 * whose password was right (the sign-in token of that first step).
 */
public interface SignInWithPasskeyUseCase {
    record PasskeySignInCommand(String ceremonyId, String credential, String userAgent, String clientAddress) {
        @Override
        public String toString() {
            return "PasskeySignInCommand[" + ceremonyId + "]";
        }
    }

    record PasskeySecondFactorCommand(String signInToken, String ceremonyId, String credential, String userAgent,
                                      String clientAddress) {
        @Override
        public String toString() {
            return "PasskeySecondFactorCommand[***]";
        }
    }

    /** @throws com.orgkeys.domain.shared.RateLimitedException when {@code clientAddress} started too many ceremonies */
    PasskeyOptions startSignIn(String clientAddress);

    /**
     * @throws com.orgkeys.domain.shared.InvalidInputException for a missing or malformed field
     * @throws com.orgkeys.domain.shared.UnauthenticatedException for an unknown passkey, an unknown, used or expired
     *         ceremony, or an answer that does not hold (one message for all)
     * @throws com.orgkeys.domain.shared.RateLimitedException as for a password sign-in of the passkey's account
     */
    SignedIn finishSignIn(PasskeySignInCommand command);

    /**
     * @throws com.orgkeys.domain.shared.UnauthenticatedException for a sign-in token that is unknown, used or
     *         expired, or an account without passkeys
     * @throws com.orgkeys.domain.shared.RateLimitedException when {@code clientAddress} started too many ceremonies
     */
    PasskeyOptions startSecondFactor(String signInToken, String clientAddress);

    /** As {@link #finishSignIn}; the passkey must be the pending sign-in's user's, and each try counts there. */
    SignedIn finishSecondFactor(PasskeySecondFactorCommand command);
}
