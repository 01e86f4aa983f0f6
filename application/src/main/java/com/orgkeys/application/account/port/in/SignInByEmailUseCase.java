package com.orgkeys.application.account.port.in;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInOutcome;
import com.orgkeys.domain.account.Email;

import java.util.Optional;

/**
 * Signing in without the password: {@link #requestSignInMail} mails a one-time link and a 6-digit code to the
 * account with that email, if there is one (the caller is told the same either way); the code
 * ({@link #signInWithCode}) or the link's token ({@link #signInWithLink}) then opens a new session, once.
 */
public interface SignInByEmailUseCase {
    record RequestSignInMailCommand(String email, String clientAddress) {
        @Override
        public String toString() {
            return "RequestSignInMailCommand[email=" + email + "]";
        }
    }

    record SignInWithCodeCommand(String email, String code, String userAgent, String clientAddress) {
        @Override
        public String toString() {
            return "SignInWithCodeCommand[email=" + email + "]";
        }
    }

    record SignInWithLinkCommand(String token, String userAgent, String clientAddress) {
        @Override
        public String toString() {
            return "SignInWithLinkCommand[***]";
        }
    }

    /**
     * @throws com.orgkeys.domain.shared.InvalidInputException when {@code email} is not an email address
     * @throws com.orgkeys.domain.shared.RateLimitedException when that email or address asked too often
     */
    void requestSignInMail(RequestSignInMailCommand command);

    /**
     * @throws com.orgkeys.domain.shared.InvalidInputException when the code is not 6 digits
     * @throws com.orgkeys.domain.shared.UnauthenticatedException for a wrong email or code, or a code that is used,
     *         expired or past its guesses (one message for all)
     * @throws com.orgkeys.domain.shared.RateLimitedException as for a password sign-in
     */
    SignInOutcome signInWithCode(SignInWithCodeCommand command);

    /**
     * @throws com.orgkeys.domain.shared.InvalidInputException for a token that is unknown, used or expired (one
     *         message for all three)
     */
    SignInOutcome signInWithLink(SignInWithLinkCommand command);

    /** The address a usable link's token would sign in as; changes nothing (for the page that asks to confirm). */
    Optional<Email> linkFor(String token);
}
