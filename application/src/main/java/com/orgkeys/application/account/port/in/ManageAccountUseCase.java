package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.UserCaller;

/** The signed-in user's own account: a new password (the current one required), a new name. */
public interface ManageAccountUseCase {
    record ChangePasswordCommand(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "ChangePasswordCommand[***]";
        }
    }

    /**
     * Sets the new password, signs out every other session of the user, mails them that it changed.
     *
     * @throws com.orgkeys.domain.shared.InvalidInputException for a wrong current password or a new one that
     *         breaks the rules
     * @throws com.orgkeys.domain.shared.RateLimitedException when wrong current passwords came too often (the
     *         sign-in limits)
     */
    void changePassword(UserCaller caller, ChangePasswordCommand command);

    User changeName(UserCaller caller, String name);
}
