package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.UserCaller;

/**
 * The signed-in user moves their account to another email: a link mailed to the new address confirms it, and only
 * then does the new address take over (the old one keeps working until that moment, and is told afterwards).
 */
public interface ChangeEmailUseCase {
    record RequestEmailChangeCommand(String newEmail, String currentPassword) {
        @Override
        public String toString() {
            return "RequestEmailChangeCommand[***]";
        }
    }

    /**
     * Mails a confirmation link to {@code newEmail}, replacing any earlier pending change.
     *
     * @throws com.orgkeys.domain.shared.InvalidInputException for a malformed or unchanged address, or a wrong
     *         current password
     * @throws com.orgkeys.domain.shared.ConflictException when another account has that address
     * @throws com.orgkeys.domain.shared.RateLimitedException when wrong current passwords came too often (the
     *         sign-in limits), or too many change mails were asked for
     */
    void requestEmailChange(UserCaller caller, RequestEmailChangeCommand command);

    /**
     * Switches the caller's email to the address the link's token was mailed to, verified; returns the user as now.
     *
     * @throws com.orgkeys.domain.shared.InvalidInputException for a token that is wrong, used, expired or another
     *         user's
     * @throws com.orgkeys.domain.shared.ConflictException when another account took the address meanwhile (nothing
     *         changes)
     */
    User confirmEmailChange(UserCaller caller, String token);
}
