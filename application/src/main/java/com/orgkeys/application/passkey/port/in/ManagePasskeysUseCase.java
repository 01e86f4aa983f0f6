package com.orgkeys.application.passkey.port.in;

import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.passkey.PasskeyId;

import java.util.List;
import java.util.UUID;

/**
 * The signed-in user's passkeys: registered in two steps ({@link #startRegistration}, then the browser's answer to
 * {@link #finishRegistration}), named, renamed, removed. Removing one needs the current password. Adding and
 * removing are mailed to the user and audited in each of their organizations.
 */
public interface ManagePasskeysUseCase {
    /** A ceremony under way: its id (sent back with the answer) and the options for the browser (JSON). */
    record PasskeyOptions(UUID ceremonyId, String publicKey) {
    }

    record FinishRegistrationCommand(String ceremonyId, String name, String credential) {
        @Override
        public String toString() {
            return "FinishRegistrationCommand[" + ceremonyId + "]";
        }
    }

    int MAX_PASSKEYS = 20;

    List<Passkey> list(UserCaller caller);

    /**
     * The new passkey, and the recovery codes issued with it (shown once) when the user had none: empty otherwise.
     */
    record Registered(Passkey passkey, List<String> recoveryCodes) {
        public Registered {
            recoveryCodes = List.copyOf(recoveryCodes);
        }

        @Override
        public String toString() {
            return "Registered[" + passkey.id() + ", recoveryCodes=" + recoveryCodes.size() + "]";
        }
    }

    /** @throws com.orgkeys.domain.shared.ConflictException when the user has {@value #MAX_PASSKEYS} passkeys */
    PasskeyOptions startRegistration(UserCaller caller);

    /**
     * @throws com.orgkeys.domain.shared.InvalidInputException for a bad name, an unknown or expired ceremony, or an
     *         answer that does not hold
     * @throws com.orgkeys.domain.shared.ConflictException for a credential registered already
     */
    Registered finishRegistration(UserCaller caller, FinishRegistrationCommand command);

    /** @throws com.orgkeys.domain.shared.NotFoundException when the user has no such passkey */
    Passkey rename(UserCaller caller, PasskeyId id, String name);

    /**
     * @throws com.orgkeys.domain.shared.InvalidInputException for a wrong current password
     * @throws com.orgkeys.domain.shared.NotFoundException when the user has no such passkey
     * @throws com.orgkeys.domain.shared.RateLimitedException as for a sign-in
     */
    void remove(UserCaller caller, PasskeyId id, String currentPassword);
}
