package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.caller.UserCaller;

/**
 * The signed-in user shows that they read mail at their address: with the token of the mailed link, or the 6-digit
 * code of the same mail; or asks for a new mail.
 */
public interface VerifyEmailUseCase {
    /** Exactly one of {@code token} and {@code code}. */
    record VerifyEmailCommand(String token, String code) {
        @Override
        public String toString() {
            return "VerifyEmailCommand[***]";
        }
    }

    /**
     * Nothing happens for an email verified already.
     *
     * @throws com.orgkeys.domain.shared.InvalidInputException for a token or code that is wrong, used or expired,
     *         or a code past its guesses
     */
    void verifyEmail(UserCaller caller, VerifyEmailCommand command);

    /**
     * @throws com.orgkeys.domain.shared.ConflictException when the email is verified already
     * @throws com.orgkeys.domain.shared.RateLimitedException when too many were sent
     */
    void resendVerification(UserCaller caller);
}
