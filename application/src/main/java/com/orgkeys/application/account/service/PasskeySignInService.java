package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.PasskeyOptions;
import com.orgkeys.application.passkey.port.in.SignInWithPasskeyUseCase;
import com.orgkeys.application.passkey.port.out.PasskeyRepository;
import com.orgkeys.application.passkey.port.out.WebAuthn;
import com.orgkeys.application.passkey.service.PasskeyInput;
import com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.passkey.PasskeyCeremony;
import com.orgkeys.domain.passkey.PasskeyCeremony.Purpose;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Secrets;
import com.orgkeys.domain.shared.UnauthenticatedException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sign-in with a passkey, passwordless or as the second factor. The ceremony (the options with their challenge) is
 * kept in PostgreSQL and taken (deleted) by the one statement that finds it, so any node can finish it and an
 * answer counts once. A passkey that signs in counts as a sign-in attempt of its account under the sign-in
 * throttle (reserved before the signature is checked); an answer naming no known passkey has no account to count
 * for and opens nothing. As the second factor, each answer also spends one of the pending sign-in's
 * {@link SignInWithSecondFactorUseCase#MAX_ATTEMPTS} tries, as a code does. Lives in the account service package
 * because only this package opens sessions ({@link AccountService#openSession}).
 */
public final class PasskeySignInService implements SignInWithPasskeyUseCase {
    static final String WRONG_PASSKEY = "This passkey did not sign you in: try again, or sign in another way.";
    static final String EXPIRED = SecondFactorSignInService.WRONG_CODE;

    private final UserRepository users;
    private final AccountTokenRepository tokens;
    private final PasskeyRepository passkeys;
    private final WebAuthn webAuthn;
    private final AccountService accounts;
    private final AccountThrottle throttle;
    private final TransactionRunner tx;
    private final Clock clock;

    public PasskeySignInService(UserRepository users, AccountTokenRepository tokens, PasskeyRepository passkeys,
                                WebAuthn webAuthn, AccountService accounts, AccountThrottle throttle,
                                TransactionRunner tx, Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.passkeys = passkeys;
        this.webAuthn = webAuthn;
        this.accounts = accounts;
        this.throttle = throttle;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public PasskeyOptions startSignIn(String clientAddress) {
        throttle.reservePasskeyCeremony(clientAddress); // each start stores a row: anonymous callers are bounded
        WebAuthn.Options options = webAuthn.startAssertion(List.of());
        Instant now = clock.instant();
        PasskeyCeremony ceremony = PasskeyCeremony.signIn(options.request(), now);
        tx.inTransaction(() -> passkeys.saveCeremony(ceremony, now));
        return new PasskeyOptions(ceremony.id(), options.publicKey());
    }

    @Override
    public SignedIn finishSignIn(PasskeySignInCommand command) {
        List<FieldError> errors = new ArrayList<>();
        Optional<UUID> ceremonyId = PasskeyInput.ceremonyId(command.ceremonyId(), errors);
        String credential = PasskeyInput.credential(command.credential(), errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        String credentialId = webAuthn.credentialIdOf(credential);
        Instant now = clock.instant();
        PasskeyCeremony ceremony = tx.inTransaction(() -> passkeys.takeCeremony(ceremonyId.orElseThrow(),
                Purpose.SIGN_IN, now)).orElseThrow(PasskeySignInService::wrong);
        Passkey passkey = passkeys.findByCredentialId(credentialId).orElseThrow(PasskeySignInService::wrong);
        User user = users.findById(passkey.userId()).orElseThrow(PasskeySignInService::wrong);
        return verifiedSession(user, passkey, ceremony, credential, Optional.empty(), command.userAgent(),
                command.clientAddress());
    }

    @Override
    public PasskeyOptions startSecondFactor(String signInToken, String clientAddress) {
        AccountToken pending = pendingSignIn(signInToken);
        throttle.reservePasskeyCeremony(clientAddress);
        List<Passkey> own = passkeys.listFor(pending.userId());
        if (own.isEmpty()) throw new UnauthenticatedException(EXPIRED);
        WebAuthn.Options options = webAuthn.startAssertion(own);
        Instant now = clock.instant();
        PasskeyCeremony ceremony = PasskeyCeremony.secondFactor(pending.userId(), pending.id(), options.request(), now);
        tx.inTransaction(() -> passkeys.saveCeremony(ceremony, now));
        return new PasskeyOptions(ceremony.id(), options.publicKey());
    }

    @Override
    public SignedIn finishSecondFactor(PasskeySecondFactorCommand command) {
        List<FieldError> errors = new ArrayList<>();
        if (command.signInToken() == null || command.signInToken().isBlank()) {
            errors.add(new FieldError("signInToken", "is required"));
        }
        Optional<UUID> ceremonyId = PasskeyInput.ceremonyId(command.ceremonyId(), errors);
        String credential = PasskeyInput.credential(command.credential(), errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        String credentialId = webAuthn.credentialIdOf(credential);
        AccountToken pending = pendingSignIn(command.signInToken());
        User user = users.findById(pending.userId()).filter(u -> u.email().equals(pending.email()))
                .orElseThrow(() -> new UnauthenticatedException(EXPIRED));
        Instant now = clock.instant();
        PasskeyCeremony ceremony = tx.inTransaction(() -> passkeys.takeCeremony(ceremonyId.orElseThrow(),
                        Purpose.SECOND_FACTOR, now))
                .filter(c -> c.signIn().equals(Optional.of(pending.id())))
                .orElseThrow(() -> new UnauthenticatedException(EXPIRED));
        Passkey passkey = passkeys.findByCredentialId(credentialId).filter(p -> p.userId().equals(user.id()))
                .orElseThrow(PasskeySignInService::wrong);
        return verifiedSession(user, passkey, ceremony, credential, Optional.of(pending), command.userAgent(),
                command.clientAddress());
    }

    /** The session once the answer holds, counted under the sign-in throttle (and the pending sign-in's tries). */
    private SignedIn verifiedSession(User user, Passkey passkey, PasskeyCeremony ceremony, String credential,
                                     Optional<AccountToken> pending, String userAgent, String clientAddress) {
        try (AccountThrottle.SignInAttempt attempt = throttle.reserveSignIn(user.email(), clientAddress)) {
            try {
                Instant now = clock.instant();
                // counted (and committed) before the signature is checked, as a code is
                if (pending.isPresent() && tokens.reserveAttempt(pending.get().id(),
                        SignInWithSecondFactorUseCase.MAX_ATTEMPTS, now).isEmpty()) {
                    throw new UnauthenticatedException(EXPIRED);
                }
                long counter;
                try {
                    counter = webAuthn.finishAssertion(ceremony.request(), credential, passkey);
                } catch (UnauthenticatedException e) {
                    throw wrong(); // one message for every refusal
                }
                SignedIn signedIn = tx.inTransaction(() -> {
                    // the row decides: of two answers with one counter value, one gets through
                    if (!passkeys.recordUse(passkey.id(), passkey.signatureCount(), counter, now)) throw wrong();
                    if (pending.isPresent() && !tokens.consume(pending.get().id(), now)) {
                        throw new UnauthenticatedException(EXPIRED);
                    }
                    return accounts.openSession(user, userAgent, clientAddress);
                });
                attempt.succeeded();
                return signedIn;
            } catch (UnauthenticatedException e) {
                attempt.failed();
                throw e;
            }
        }
    }

    private AccountToken pendingSignIn(String signInToken) {
        String token = signInToken == null ? "" : signInToken.strip();
        if (token.isEmpty()) throw new InvalidInputException("signInToken", "is required");
        if (token.length() > LinkTokens.MAX_LENGTH) throw new UnauthenticatedException(EXPIRED);
        return tokens.findUsable(AccountTokenPurpose.SECOND_FACTOR, Secrets.sha256(token), clock.instant())
                .orElseThrow(() -> new UnauthenticatedException(EXPIRED));
    }

    private static UnauthenticatedException wrong() {
        return new UnauthenticatedException(WRONG_PASSKEY);
    }
}
