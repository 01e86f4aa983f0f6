package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail.Change;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase;
import com.orgkeys.application.twofactor.port.out.TwoFactorRepository;
import com.orgkeys.application.twofactor.service.TotpSecretCipher;
import com.orgkeys.application.twofactor.service.TwoFactorNotices;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Secrets;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.domain.twofactor.RecoveryCodes;
import com.orgkeys.domain.twofactor.Totp;
import com.orgkeys.domain.twofactor.TotpFactor;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The second step of a sign-in for an account with two-factor sign-in. The {@link AccountTokenPurpose#SECOND_FACTOR}
 * token that the first step answered (stored as its SHA-256 in PostgreSQL, so any node can finish the sign-in)
 * allows {@link #MAX_ATTEMPTS} guesses within its 5 minutes, each counted in the one UPDATE that checks the limit,
 * before the code is compared; each also counts under the sign-in throttle as a password guess does. A TOTP code
 * works once (its time step must be after the last one accepted); a recovery code works once. Lives in the account
 * service package because only this package opens sessions ({@link AccountService#openSession}).
 */
public final class SecondFactorSignInService implements SignInWithSecondFactorUseCase {
    static final AccountTokenPurpose PURPOSE = AccountTokenPurpose.SECOND_FACTOR;
    public static final String WRONG_CODE = "Wrong code, or this sign-in has expired or used its " + MAX_ATTEMPTS
            + " tries: sign in again if needed.";
    /**
     * A right code of a step already used (a replay, or the user typing the code that just signed them in): said
     * plainly, since only someone who passed the first factor gets here, and the next code will work.
     */
    public static final String USED_CODE = "This code was already used; wait for the next one your authenticator "
            + "app shows (a new one every 30 seconds).";

    private final UserRepository users;
    private final AccountTokenRepository tokens;
    private final TwoFactorRepository twoFactors;
    private final TotpSecretCipher cipher;
    private final TwoFactorNotices notices;
    private final AccountService accounts;
    private final AccountThrottle throttle;
    private final TransactionRunner tx;
    private final Clock clock;

    public SecondFactorSignInService(UserRepository users, AccountTokenRepository tokens, TwoFactorRepository twoFactors,
                                     TotpSecretCipher cipher, TwoFactorNotices notices, AccountService accounts,
                                     AccountThrottle throttle, TransactionRunner tx, Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.twoFactors = twoFactors;
        this.cipher = cipher;
        this.notices = notices;
        this.accounts = accounts;
        this.throttle = throttle;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public SignedIn signInWithSecondFactor(SecondFactorCommand command) {
        String token = command.signInToken() == null ? "" : command.signInToken().strip();
        String code = command.code() == null ? "" : command.code().strip();
        String recovery = command.recoveryCode() == null ? "" : command.recoveryCode().strip();
        List<FieldError> errors = new ArrayList<>();
        if (token.isEmpty()) errors.add(new FieldError("signInToken", "is required"));
        Optional<String> recoveryHash = Optional.empty();
        if (code.isEmpty() == recovery.isEmpty()) {
            errors.add(new FieldError("code", "give either code (from the authenticator app) or recoveryCode"));
        } else if (!code.isEmpty()) {
            if (!Totp.isCodeShaped(code)) errors.add(new FieldError("code", "must be 6 digits"));
        } else {
            recoveryHash = RecoveryCodes.hash(recovery);
            if (recoveryHash.isEmpty()) errors.add(new FieldError("recoveryCode", "must look like xxxxx-xxxxx"));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        if (token.length() > LinkTokens.MAX_LENGTH) throw wrong(); // not a token: not hashed, not looked up
        Instant now = clock.instant();
        AccountToken pending = tokens.findUsable(PURPOSE, Secrets.sha256(token), now)
                .orElseThrow(SecondFactorSignInService::wrong);
        User user = users.findById(pending.userId()).filter(u -> u.email().equals(pending.email()))
                .orElseThrow(SecondFactorSignInService::wrong);
        try (AccountThrottle.SignInAttempt attempt = throttle.reserveSignIn(user.email(), command.clientAddress())) {
            try {
                // counted (and committed) before the code is compared: parallel guesses cannot pass the limit
                if (tokens.reserveAttempt(pending.id(), MAX_ATTEMPTS, now).isEmpty()) throw wrong();
                SignedIn signedIn = recoveryHash.isPresent()
                        ? withRecoveryCode(user, pending, recoveryHash.get(), command, now)
                        : withTotp(user, pending, code, command, now);
                attempt.succeeded();
                return signedIn;
            } catch (UnauthenticatedException e) {
                attempt.failed();
                throw e;
            }
        }
    }

    private SignedIn withTotp(User user, AccountToken pending, String code, SecondFactorCommand command, Instant now) {
        TotpFactor factor = twoFactors.findTotp(user.id()).filter(TotpFactor::enabled)
                .orElseThrow(SecondFactorSignInService::wrong);
        OptionalLong step = Totp.verify(cipher.decrypt(user.id(), factor.secret()).bytes(), code, now);
        if (step.isEmpty()) throw wrong();
        if (!factor.accepts(step.getAsLong())) throw used();
        return tx.inTransaction(() -> {
            // the row decides: of two requests with one code (or an older one), one gets through
            if (!twoFactors.useTotpStep(user.id(), step.getAsLong())) throw used();
            if (!tokens.consume(pending.id(), now)) throw wrong();
            return accounts.openSession(user, command.userAgent(), command.clientAddress());
        });
    }

    private SignedIn withRecoveryCode(User user, AccountToken pending, String codeHash, SecondFactorCommand command,
                                      Instant now) {
        return tx.inTransaction(() -> {
            // with an authenticator app or passkeys alone: a code is the way back in when the factor is lost
            if (!twoFactors.factors(user.id()).any()) throw wrong();
            if (!twoFactors.useRecoveryCode(user.id(), codeHash, now)) throw wrong();
            if (!tokens.consume(pending.id(), now)) throw wrong();
            notices.changed(user, Change.RECOVERY_CODE_USED,
                    "recovery_codes_left=" + twoFactors.recoveryCodesLeft(user.id()), command.clientAddress(), now);
            return accounts.openSession(user, command.userAgent(), command.clientAddress());
        });
    }

    private static UnauthenticatedException used() {
        return new UnauthenticatedException(USED_CODE);
    }

    private static UnauthenticatedException wrong() {
        return new UnauthenticatedException(WRONG_CODE);
    }
}
