package com.orgkeys.application.passkey.service;

import com.orgkeys.application.account.port.out.AccountThrottle;
import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.account.service.CurrentPassword;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail.Change;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase;
import com.orgkeys.application.passkey.port.out.PasskeyRepository;
import com.orgkeys.application.passkey.port.out.WebAuthn;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.application.twofactor.port.out.TwoFactorRepository;
import com.orgkeys.application.twofactor.service.TwoFactorNotices;
import com.orgkeys.application.twofactor.service.TwoFactorService;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.passkey.PasskeyCeremony;
import com.orgkeys.domain.passkey.PasskeyId;
import com.orgkeys.domain.passkey.PasskeyName;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.domain.shared.Validation;
import com.orgkeys.domain.twofactor.RecoveryCodes;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Registration and management of the signed-in user's passkeys. The caller is always the user themself (a
 * session: API keys cannot reach these use cases, see the routes' {@code Access.USER}).
 */
public final class PasskeyService implements ManagePasskeysUseCase {
    static final String EXPIRED = "this registration is unknown, was finished already or has expired: start again";

    private final UserRepository users;
    private final PasskeyRepository passkeys;
    private final TwoFactorRepository twoFactors;
    private final WebAuthn webAuthn;
    private final TwoFactorNotices notices;
    private final PasswordHasher hasher;
    private final AccountThrottle throttle;
    private final TransactionRunner tx;
    private final Clock clock;

    public PasskeyService(UserRepository users, PasskeyRepository passkeys, TwoFactorRepository twoFactors, WebAuthn webAuthn,
                          TwoFactorNotices notices, PasswordHasher hasher, AccountThrottle throttle,
                          TransactionRunner tx, Clock clock) {
        this.users = users;
        this.passkeys = passkeys;
        this.twoFactors = twoFactors;
        this.webAuthn = webAuthn;
        this.notices = notices;
        this.hasher = hasher;
        this.throttle = throttle;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public List<Passkey> list(UserCaller caller) {
        return passkeys.listFor(caller.userId());
    }

    @Override
    public PasskeyOptions startRegistration(UserCaller caller) {
        User user = user(caller);
        List<Passkey> existing = passkeys.listFor(user.id());
        if (existing.size() >= MAX_PASSKEYS) {
            throw new ConflictException("You have " + MAX_PASSKEYS + " passkeys, the most there can be: remove one first.");
        }
        WebAuthn.Options options = webAuthn.startRegistration(user.id(), user.email().value(), user.name(), existing);
        Instant now = clock.instant();
        PasskeyCeremony ceremony = PasskeyCeremony.registration(user.id(), options.request(), now);
        tx.inTransaction(() -> {
            passkeys.saveCeremony(ceremony, now);
            return null;
        });
        return new PasskeyOptions(ceremony.id(), options.publicKey());
    }

    @Override
    public Registered finishRegistration(UserCaller caller, FinishRegistrationCommand command) {
        List<FieldError> errors = new ArrayList<>();
        Optional<UUID> ceremonyId = PasskeyInput.ceremonyId(command.ceremonyId(), errors);
        PasskeyName name = Validation.collect(errors, () -> new PasskeyName(command.name()));
        String credential = PasskeyInput.credential(command.credential(), errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        User user = user(caller);
        Instant now = clock.instant();
        // taken (deleted) first, whatever the answer: a challenge is answered once
        PasskeyCeremony ceremony = tx.inTransaction(() -> passkeys.takeCeremony(ceremonyId.orElseThrow(),
                        PasskeyCeremony.Purpose.REGISTRATION, now))
                .filter(c -> c.userId().equals(Optional.of(user.id())))
                .orElseThrow(() -> new InvalidInputException("ceremonyId", EXPIRED));
        List<Passkey> existing = passkeys.listFor(user.id());
        WebAuthn.NewCredential created = webAuthn.finishRegistration(ceremony.request(), credential, existing);
        Passkey passkey = Passkey.register(user.id(), created.credentialId(), created.publicKeyCose(),
                created.signatureCount(), name, now);
        List<String> fresh = RecoveryCodes.generate();
        return tx.inTransaction(() -> {
            if (passkeys.listFor(user.id()).size() >= MAX_PASSKEYS) {
                throw new ConflictException("You have " + MAX_PASSKEYS + " passkeys, the most there can be.");
            }
            if (!passkeys.insert(passkey)) throw new ConflictException("This passkey is registered already.");
            // a passkey-only account needs a way back in when its passkeys are lost, as one with an app has
            List<String> codes = twoFactors.recoveryCodesLeft(user.id()) == 0 ? fresh : List.of();
            if (!codes.isEmpty()) twoFactors.replaceRecoveryCodes(user.id(), TwoFactorService.hashes(codes), now);
            notices.changed(user, Change.PASSKEY_ADDED, "passkey=" + passkey.id()
                    + (codes.isEmpty() ? "" : " recovery_codes=" + codes.size()), caller.clientAddress(), now);
            return new Registered(passkey, codes);
        });
    }

    @Override
    public Passkey rename(UserCaller caller, PasskeyId id, String name) {
        PasskeyName newName = new PasskeyName(name);
        return tx.inTransaction(() -> {
            if (!passkeys.rename(caller.userId(), id, newName)) throw notFound(id);
            return passkeys.listFor(caller.userId()).stream().filter(p -> p.id().equals(id)).findFirst()
                    .orElseThrow(() -> notFound(id));
        });
    }

    @Override
    public void remove(UserCaller caller, PasskeyId id, String currentPassword) {
        String current = CurrentPassword.of(currentPassword);
        List<FieldError> errors = new ArrayList<>();
        CurrentPassword.checkLength(current, errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        User user = user(caller);
        // before the password is checked: an unknown id costs no password guess
        if (passkeys.listFor(user.id()).stream().noneMatch(p -> p.id().equals(id))) throw notFound(id);
        CurrentPassword.verify(user, current, caller.clientAddress(), throttle, hasher);
        tx.inTransaction(() -> {
            Passkey removed = passkeys.delete(user.id(), id).orElseThrow(() -> notFound(id));
            // the last factor gone: two-factor sign-in is off, and codes for it would only be a way around the password
            boolean lastFactor = !twoFactors.factors(user.id()).any();
            if (lastFactor) twoFactors.deleteRecoveryCodes(user.id());
            notices.changed(user, Change.PASSKEY_REMOVED, "passkey=" + removed.id()
                    + (lastFactor ? " two_factor=off" : ""), caller.clientAddress(), clock.instant());
            return null;
        });
    }

    private static NotFoundException notFound(PasskeyId id) {
        return new NotFoundException("No passkey " + id + ".");
    }

    private User user(UserCaller caller) {
        return users.findById(caller.userId()).orElseThrow(() -> new UnauthenticatedException("Sign in first."));
    }
}
