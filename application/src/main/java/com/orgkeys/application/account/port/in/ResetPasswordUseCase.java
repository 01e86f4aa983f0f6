package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.UserId;

/**
 * A forgotten password: {@link #requestReset} mails a one-time link to the account with that email, if there is
 * one (the caller is told the same either way); {@link #confirmReset} sets a new password with the link's token and
 * signs the user out everywhere.
 */
public interface ResetPasswordUseCase {
    record RequestResetCommand(String email, String clientAddress) {
        @Override
        public String toString() {
            return "RequestResetCommand[email=" + email + "]";
        }
    }

    record ConfirmResetCommand(String token, String password, String clientAddress) {
        @Override
        public String toString() {
            return "ConfirmResetCommand[***]";
        }
    }

    /** {@code email}: the address the link was sent to (the account's). */
    record PasswordReset(UserId userId, int sessionsRevoked, Email email) {
    }

    /**
     * @throws com.orgkeys.domain.shared.InvalidInputException when {@code email} is not an email address
     * @throws com.orgkeys.domain.shared.RateLimitedException when that email or address asked too often
     */
    void requestReset(RequestResetCommand command);

    /**
     * @throws com.orgkeys.domain.shared.InvalidInputException for a password that breaks the rules, or a token that
     *         is unknown, used or expired (one message for all three)
     */
    PasswordReset confirmReset(ConfirmResetCommand command);

    /** Whether {@code token} is a reset link's that still works (a look: nothing changes; a mail scanner may ask). */
    boolean resetLinkWorks(String token);
}
