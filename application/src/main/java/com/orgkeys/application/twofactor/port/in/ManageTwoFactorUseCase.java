package com.orgkeys.application.twofactor.port.in;

import com.orgkeys.domain.caller.UserCaller;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The signed-in user's second factor: an authenticator app (TOTP), enrolled in two steps ({@link #startTotp}, then
 * {@link #confirmTotp} with a first code), and recovery codes. Turning it off or renewing the codes needs the
 * current password. Every change is mailed to the user and audited in each of their organizations.
 */
public interface ManageTwoFactorUseCase {
    /** {@code since}: when the authenticator app was confirmed. */
    record TwoFactorStatus(boolean enabled, boolean pending, int recoveryCodesLeft, Optional<Instant> since) {
    }

    /** The new secret, as base32 and as an {@code otpauth://} URI; shown once, while the enrollment is pending. */
    record TotpEnrollment(String secret, String uri) {
        @Override
        public String toString() {
            return "TotpEnrollment[***]";
        }
    }

    /** The recovery codes, shown once. */
    record RecoveryCodesIssued(List<String> codes) {
        @Override
        public String toString() {
            return "RecoveryCodesIssued[" + codes.size() + "]";
        }
    }

    TwoFactorStatus status(UserCaller caller);

    /**
     * A new secret, pending until confirmed; replaces a pending one.
     *
     * @throws com.orgkeys.domain.shared.ConflictException when an authenticator app is already enabled
     */
    TotpEnrollment startTotp(UserCaller caller);

    /**
     * Enables the pending authenticator app with a code it shows, and issues the first recovery codes.
     *
     * @throws com.orgkeys.domain.shared.InvalidInputException for a code that is not 6 digits or not right
     * @throws com.orgkeys.domain.shared.ConflictException when nothing is pending (never started, or already enabled)
     */
    RecoveryCodesIssued confirmTotp(UserCaller caller, String code);

    /**
     * Turns two-factor sign-in off: removes the app and the recovery codes.
     *
     * @throws com.orgkeys.domain.shared.InvalidInputException for a wrong current password
     * @throws com.orgkeys.domain.shared.ConflictException when two-factor sign-in is not on
     * @throws com.orgkeys.domain.shared.RateLimitedException as for a sign-in
     */
    void disableTotp(UserCaller caller, String currentPassword);

    /**
     * New recovery codes; the old ones stop working.
     *
     * @throws com.orgkeys.domain.shared.InvalidInputException for a wrong current password
     * @throws com.orgkeys.domain.shared.ConflictException when two-factor sign-in is not on
     * @throws com.orgkeys.domain.shared.RateLimitedException as for a sign-in
     */
    RecoveryCodesIssued regenerateRecoveryCodes(UserCaller caller, String currentPassword);
}
