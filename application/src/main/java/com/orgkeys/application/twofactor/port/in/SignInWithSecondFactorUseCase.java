package com.orgkeys.application.twofactor.port.in;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;

/**
 * The second step of a sign-in for an account with two-factor sign-in: the token the first step answered
 * ({@link com.orgkeys.application.account.port.in.ManageSessionsUseCase.SecondFactorRequired}) and a code from the
 * authenticator app, or a recovery code, open the session.
 */
public interface SignInWithSecondFactorUseCase {
    /** Exactly one of {@code code} and {@code recoveryCode}. */
    record SecondFactorCommand(String signInToken, String code, String recoveryCode, String userAgent,
                               String clientAddress) {
        @Override
        public String toString() {
            return "SecondFactorCommand[***]";
        }
    }

    /**
     * @throws com.orgkeys.domain.shared.InvalidInputException for a missing or malformed token or code, or both
     *         codes at once
     * @throws com.orgkeys.domain.shared.UnauthenticatedException for a wrong code, or a sign-in token that is
     *         unknown, used, expired or past its {@value com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase#MAX_ATTEMPTS}
     *         guesses (one message for all)
     * @throws com.orgkeys.domain.shared.RateLimitedException as for a password sign-in (wrong codes count there)
     */
    SignedIn signInWithSecondFactor(SecondFactorCommand command);

    int MAX_ATTEMPTS = 5;
}
