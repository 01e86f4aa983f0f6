package com.orgkeys.application.twofactor.service;

import com.orgkeys.application.account.service.AccountWebhooks;
import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.account.service.CurrentPassword;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail.Change;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.application.twofactor.port.in.ManageTwoFactorUseCase;
import com.orgkeys.application.twofactor.port.out.TwoFactorRepository;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.domain.twofactor.RecoveryCodes;
import com.orgkeys.domain.twofactor.Totp;
import com.orgkeys.domain.twofactor.TotpFactor;
import com.orgkeys.domain.twofactor.TotpSecret;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Enrollment and management of the signed-in user's second factor. The caller is always the user themself (a
 * session: API keys cannot reach these use cases, see the routes' {@code Access.USER}).
 */
public final class TwoFactorService implements ManageTwoFactorUseCase {
    static final String WRONG_CODE = "is not the code your authenticator app shows now";

    private final UserRepository users;
    private final SessionRepository sessions;
    private final TwoFactorRepository twoFactors;
    private final TotpSecretCipher cipher;
    private final TwoFactorNotices notices;
    private final PasswordHasher hasher;
    private final AccountThrottle throttle;
    private final TransactionRunner tx;
    private final Clock clock;
    private final AccountWebhooks webhooks;

    public TwoFactorService(UserRepository users, SessionRepository sessions, TwoFactorRepository twoFactors,
                            TotpSecretCipher cipher, TwoFactorNotices notices, PasswordHasher hasher,
                            AccountThrottle throttle, TransactionRunner tx, Clock clock) {
        this(users, sessions, twoFactors, cipher, notices, hasher, throttle, tx, clock, AccountWebhooks.NONE);
    }

    /** @param webhooks told of the sessions that enabling a factor ends */
    public TwoFactorService(UserRepository users, SessionRepository sessions, TwoFactorRepository twoFactors,
                            TotpSecretCipher cipher, TwoFactorNotices notices, PasswordHasher hasher,
                            AccountThrottle throttle, TransactionRunner tx, Clock clock,
                            AccountWebhooks webhooks) {
        this.webhooks = webhooks;
        this.users = users;
        this.sessions = sessions;
        this.twoFactors = twoFactors;
        this.cipher = cipher;
        this.notices = notices;
        this.hasher = hasher;
        this.throttle = throttle;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public TwoFactorStatus status(UserCaller caller) {
        return tx.inTransaction(() -> {
            Optional<TotpFactor> factor = twoFactors.findTotp(caller.userId());
            boolean enabled = factor.map(TotpFactor::enabled).orElse(false);
            // passkeys alone keep two-factor sign-in on, and the recovery codes with it
            return new TwoFactorStatus(enabled, factor.isPresent() && !enabled,
                    twoFactors.factors(caller.userId()).any() ? twoFactors.recoveryCodesLeft(caller.userId()) : 0,
                    factor.flatMap(TotpFactor::confirmedAt));
        });
    }

    @Override
    public TotpEnrollment startTotp(UserCaller caller) {
        User user = user(caller);
        TotpSecret secret = TotpSecret.generate();
        TotpFactor pending = TotpFactor.pending(user.id(), cipher.encrypt(user.id(), secret), clock.instant());
        if (!twoFactors.savePendingTotp(pending)) {
            throw new ConflictException("Two-factor sign-in is already on; turn it off first to use another app.");
        }
        return new TotpEnrollment(secret.base32(), secret.uri(user.email()));
    }

    @Override
    public RecoveryCodesIssued confirmTotp(UserCaller caller, String code) {
        String typed = code == null ? "" : code.strip();
        if (!Totp.isCodeShaped(typed)) throw new InvalidInputException("code", "must be 6 digits");
        User user = user(caller);
        TotpFactor pending = twoFactors.findTotp(user.id()).filter(f -> !f.enabled())
                .orElseThrow(() -> new ConflictException(
                        "No authenticator app is waiting for confirmation: start the enrollment first."));
        Instant now = clock.instant();
        OptionalLong step = Totp.verify(cipher.decrypt(user.id(), pending.secret()).bytes(), typed, now);
        if (step.isEmpty()) throw new InvalidInputException("code", WRONG_CODE);
        List<String> codes = RecoveryCodes.generate();
        tx.inTransaction(() -> {
            // the enrollment may have been replaced (started again) or confirmed meanwhile: the row decides
            if (!twoFactors.confirmTotp(user.id(), pending.secret(), step.getAsLong(), now)) {
                throw new ConflictException("The enrollment changed meanwhile; start it again.");
            }
            twoFactors.replaceRecoveryCodes(user.id(), hashes(codes), now);
            // a session taken before (with the password alone) must not outlive the factor that now guards sign-in
            List<Session> revoked = sessions.revokeOthers(user.id(), caller.sessionId(), now);
            webhooks.sessionsRevoked(revoked, now);
            notices.changed(user, Change.ENABLED, "recovery_codes=" + codes.size() + " other_sessions_revoked=" + revoked.size(),
                    caller.clientAddress(), now);
        });
        return new RecoveryCodesIssued(codes);
    }

    @Override
    public void disableTotp(UserCaller caller, String currentPassword) {
        User user = checkedPassword(caller, currentPassword);
        tx.inTransaction(() -> {
            Instant now = clock.instant();
            boolean enabled = twoFactors.findTotp(user.id()).map(TotpFactor::enabled).orElse(false);
            if (!enabled) throw new ConflictException("Two-factor sign-in is not on.");
            twoFactors.deleteTotp(user.id());
            // passkeys left still ask for a second factor, and the recovery codes stay their way back in
            boolean passkeysLeft = twoFactors.factors(user.id()).passkey();
            if (!passkeysLeft) twoFactors.deleteRecoveryCodes(user.id());
            notices.changed(user, Change.DISABLED, passkeysLeft ? "passkeys_left=true" : "", caller.clientAddress(), now);
        });
    }

    @Override
    public RecoveryCodesIssued regenerateRecoveryCodes(UserCaller caller, String currentPassword) {
        User user = checkedPassword(caller, currentPassword);
        List<String> codes = RecoveryCodes.generate();
        tx.inTransaction(() -> {
            Instant now = clock.instant();
            if (!twoFactors.factors(user.id()).any()) throw new ConflictException("Two-factor sign-in is not on.");
            twoFactors.replaceRecoveryCodes(user.id(), hashes(codes), now);
            notices.changed(user, Change.RECOVERY_CODES_REGENERATED, "recovery_codes=" + codes.size(),
                    caller.clientAddress(), now);
        });
        return new RecoveryCodesIssued(codes);
    }

    /** The user, once {@code currentPassword} is theirs (checked under the sign-in limits). */
    private User checkedPassword(UserCaller caller, String currentPassword) {
        String current = CurrentPassword.of(currentPassword);
        List<FieldError> errors = new ArrayList<>();
        CurrentPassword.checkLength(current, errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        User user = user(caller);
        CurrentPassword.verify(user, current, caller.clientAddress(), throttle, hasher);
        return user;
    }

    private User user(UserCaller caller) {
        return users.findById(caller.userId()).orElseThrow(() -> new UnauthenticatedException("Sign in first."));
    }

    /** The hashes to store for these recovery codes. */
    public static List<String> hashes(List<String> codes) {
        return codes.stream().map(c -> RecoveryCodes.hash(c).orElseThrow()).toList();
    }
}
