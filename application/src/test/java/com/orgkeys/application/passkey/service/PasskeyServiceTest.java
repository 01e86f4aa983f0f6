package com.orgkeys.application.passkey.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SecondFactorRequired;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.service.SharedAccountThrottle;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail.Change;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.FinishRegistrationCommand;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.PasskeyOptions;
import com.orgkeys.application.passkey.port.in.SignInWithPasskeyUseCase.PasskeySecondFactorCommand;
import com.orgkeys.application.passkey.port.in.SignInWithPasskeyUseCase.PasskeySignInCommand;
import com.orgkeys.application.passkey.port.out.WebAuthn;
import com.orgkeys.application.testing.FakeWebAuthn.Authenticator;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.passkey.PasskeyCeremony;
import com.orgkeys.domain.passkey.PasskeyId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static com.orgkeys.application.testing.TestApplication.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registering, managing and signing in with passkeys, against the fake relying party and its authenticators. */
class PasskeyServiceTest {
    private final TestApplication app = new TestApplication();
    private final SignedIn ada = app.signUp("Ada");
    private final Organization org = app.organization("Engines", ada);
    private final UserCaller caller = app.callerOf(ada);
    private final Authenticator laptop = new Authenticator();

    private Passkey register(UserCaller who, Authenticator authenticator, String name) {
        PasskeyOptions options = app.passkeys.startRegistration(who);
        return app.passkeys.finishRegistration(who, new FinishRegistrationCommand(options.ceremonyId().toString(),
                name, authenticator.create(asWebAuthn(options)))).passkey();
    }

    private static WebAuthn.Options asWebAuthn(PasskeyOptions options) {
        return new WebAuthn.Options(options.publicKey(), options.publicKey());
    }

    private SignedIn passwordless(Authenticator authenticator) {
        PasskeyOptions options = app.passkeySignIn.startSignIn(ADDRESS);
        return app.passkeySignIn.finishSignIn(new PasskeySignInCommand(options.ceremonyId().toString(),
                authenticator.get(asWebAuthn(options)), "JUnit", ADDRESS));
    }

    private SecondFactorRequired password() {
        return assertInstanceOf(SecondFactorRequired.class,
                app.accounts.signIn(new SignInCommand("ada@example.com", PASSWORD, "JUnit", ADDRESS)));
    }

    private List<Change> mailedChanges() {
        app.deliverMail();
        return app.mailer.sent().stream().filter(TwoFactorChangedMail.class::isInstance)
                .map(m -> ((TwoFactorChangedMail) m).change()).toList();
    }

    @Test
    void a_registered_passkey_is_listed_mailed_and_audited_and_makes_sign_in_ask_for_it() {
        Passkey passkey = register(caller, laptop, "  laptop ");
        assertEquals("laptop", passkey.name().value());
        assertEquals(List.of(passkey), app.passkeys.list(caller));
        assertEquals(List.of(Change.PASSKEY_ADDED), mailedChanges());
        assertEquals("passkey=" + passkey.id() + " recovery_codes=10",
                app.auditEvent(org, "user.two_factor.passkey_added").details());

        SecondFactorRequired pending = password();
        assertTrue(pending.passkey());
        assertFalse(pending.authenticatorApp());
    }

    @Test
    void a_registration_answers_its_own_options_once_and_only_for_its_user() {
        PasskeyOptions options = app.passkeys.startRegistration(caller);
        String answer = laptop.create(asWebAuthn(options));
        UserCaller bob = app.callerOf(app.signUp("Bob"));
        var asBob = new FinishRegistrationCommand(options.ceremonyId().toString(), "stolen", answer);
        assertThrows(InvalidInputException.class, () -> app.passkeys.finishRegistration(bob, asBob));

        PasskeyOptions again = app.passkeys.startRegistration(caller);
        var withOtherChallenge = new FinishRegistrationCommand(again.ceremonyId().toString(), "laptop", answer);
        assertThrows(InvalidInputException.class, () -> app.passkeys.finishRegistration(caller, withOtherChallenge));
        var reused = new FinishRegistrationCommand(again.ceremonyId().toString(), "laptop",
                laptop.create(asWebAuthn(again)));
        assertThrows(InvalidInputException.class, () -> app.passkeys.finishRegistration(caller, reused), "taken");
        assertEquals(List.of(), app.passkeys.list(caller));
    }

    @Test
    void a_bad_name_or_answer_is_refused_before_the_ceremony_is_spent() {
        PasskeyOptions options = app.passkeys.startRegistration(caller);
        String answer = laptop.create(asWebAuthn(options));
        String id = options.ceremonyId().toString();
        var e = assertThrows(InvalidInputException.class, () -> app.passkeys.finishRegistration(caller,
                new FinishRegistrationCommand(id, "a\u0000b", "x".repeat(PasskeyInput.MAX_CREDENTIAL_LENGTH + 1))));
        assertEquals(List.of("name", "credential"), e.errors().stream().map(f -> f.field()).toList());
        assertThrows(InvalidInputException.class, () -> app.passkeys.finishRegistration(caller,
                new FinishRegistrationCommand("not-a-uuid", "laptop", answer)));
        assertEquals("laptop", app.passkeys.finishRegistration(caller,
                new FinishRegistrationCommand(id, "laptop", answer)).passkey().name().value());
    }

    @Test
    void one_credential_is_registered_once() {
        register(caller, laptop, "laptop");
        assertThrows(ConflictException.class, () -> register(caller, laptop, "again"));
        assertEquals(1, app.passkeys.list(caller).size());
    }

    @Test
    void a_user_has_at_most_the_maximum_of_passkeys() {
        for (int i = 0; i < ManagePasskeysUseCase.MAX_PASSKEYS; i++) register(caller, new Authenticator(), "key " + i);
        assertThrows(ConflictException.class, () -> app.passkeys.startRegistration(caller));
    }

    @Test
    void only_the_owner_renames_and_removing_needs_the_current_password() {
        Passkey passkey = register(caller, laptop, "laptop");
        UserCaller bob = app.callerOf(app.signUp("Bob"));
        assertThrows(NotFoundException.class, () -> app.passkeys.rename(bob, passkey.id(), "mine"));
        assertThrows(NotFoundException.class, () -> app.passkeys.remove(bob, passkey.id(), PASSWORD));
        assertThrows(InvalidInputException.class, () -> app.passkeys.rename(caller, passkey.id(), " "));
        assertEquals("work laptop", app.passkeys.rename(caller, passkey.id(), "work laptop").name().value());

        assertThrows(InvalidInputException.class, () -> app.passkeys.remove(caller, passkey.id(), "not the password"));
        assertEquals(1, app.passkeys.list(caller).size());
        assertThrows(NotFoundException.class, () -> app.passkeys.remove(caller, PasskeyId.random(), PASSWORD));
        app.passkeys.remove(caller, passkey.id(), PASSWORD);
        assertEquals(List.of(), app.passkeys.list(caller));
        assertEquals(List.of(Change.PASSKEY_ADDED, Change.PASSKEY_REMOVED), mailedChanges());
        assertEquals("passkey=" + passkey.id() + " two_factor=off",
                app.auditEvent(org, "user.two_factor.passkey_removed").details());
    }

    @Test
    void a_passkey_signs_in_alone_records_its_counter_and_its_answer_works_once() {
        register(caller, laptop, "laptop");
        SignedIn signedIn = passwordless(laptop);
        assertEquals(ada.user().id(), signedIn.user().id());
        assertTrue(app.accounts.authenticate(signedIn.sessionToken(), ADDRESS).isPresent());
        Passkey used = app.passkeys.list(caller).getFirst();
        assertEquals(1, used.signatureCount());
        assertEquals(app.clock.instant(), used.lastUsedAt().orElseThrow());

        PasskeyOptions options = app.passkeySignIn.startSignIn(ADDRESS);
        String answer = laptop.get(asWebAuthn(options));
        var command = new PasskeySignInCommand(options.ceremonyId().toString(), answer, "JUnit", ADDRESS);
        app.passkeySignIn.finishSignIn(command);
        assertThrows(UnauthenticatedException.class, () -> app.passkeySignIn.finishSignIn(command), "replayed");
    }

    @Test
    void a_cloned_authenticator_whose_counter_stayed_behind_is_refused() {
        register(caller, laptop, "laptop");
        passwordless(laptop);
        passwordless(laptop);
        PasskeyOptions options = app.passkeySignIn.startSignIn(ADDRESS);
        String stale = laptop.getWithCounter(asWebAuthn(options), 1);
        assertThrows(UnauthenticatedException.class, () -> app.passkeySignIn.finishSignIn(
                new PasskeySignInCommand(options.ceremonyId().toString(), stale, "JUnit", ADDRESS)));
        assertEquals(2, app.passkeys.list(caller).getFirst().signatureCount());
    }

    @Test
    void an_unknown_passkey_signs_nobody_in() {
        register(caller, laptop, "laptop");
        assertThrows(UnauthenticatedException.class, () -> passwordless(new Authenticator()));
        assertThrows(InvalidInputException.class, () -> app.passkeySignIn.finishSignIn(
                new PasskeySignInCommand(UUID.randomUUID().toString(), "garbage", "JUnit", ADDRESS)));
    }

    @Test
    void failed_passkey_answers_count_under_the_sign_in_throttle_of_the_account() {
        register(caller, laptop, "laptop");
        for (int i = 0; i < 5; i++) {
            PasskeyOptions options = app.passkeySignIn.startSignIn(ADDRESS);
            String wrongChallenge = laptop.get(asWebAuthn(app.passkeySignIn.startSignIn(ADDRESS)));
            assertThrows(UnauthenticatedException.class, () -> app.passkeySignIn.finishSignIn(
                    new PasskeySignInCommand(options.ceremonyId().toString(), wrongChallenge, "JUnit", ADDRESS)));
        }
        assertThrows(RateLimitedException.class, () -> passwordless(laptop));
    }

    @Test
    void as_the_second_factor_the_passkey_must_be_the_pending_sign_ins_user_and_opens_one_session() {
        register(caller, laptop, "laptop");
        SignedIn bobSignedIn = app.signUp("Bob");
        Authenticator bobs = new Authenticator();
        register(app.callerOf(bobSignedIn), bobs, "bob's");

        String token = password().signInToken();
        PasskeyOptions options = app.passkeySignIn.startSecondFactor(token, ADDRESS);
        String bobsAnswer = bobs.get(asWebAuthn(options));
        assertThrows(UnauthenticatedException.class, () -> app.passkeySignIn.finishSecondFactor(
                new PasskeySecondFactorCommand(token, options.ceremonyId().toString(), bobsAnswer, "JUnit", ADDRESS)));

        PasskeyOptions fresh = app.passkeySignIn.startSecondFactor(token, ADDRESS);
        var command = new PasskeySecondFactorCommand(token, fresh.ceremonyId().toString(),
                laptop.get(asWebAuthn(fresh)), "JUnit", ADDRESS);
        assertEquals(ada.user().id(), app.passkeySignIn.finishSecondFactor(command).user().id());
        assertThrows(UnauthenticatedException.class, () -> app.passkeySignIn.startSecondFactor(token, ADDRESS), "used");
    }

    @Test
    void a_second_factor_ceremony_belongs_to_its_pending_sign_in() {
        register(caller, laptop, "laptop");
        String first = password().signInToken();
        PasskeyOptions options = app.passkeySignIn.startSecondFactor(first, ADDRESS);
        String second = password().signInToken(); // replaces the first
        String answer = laptop.get(asWebAuthn(options));
        assertThrows(UnauthenticatedException.class, () -> app.passkeySignIn.finishSecondFactor(
                new PasskeySecondFactorCommand(second, options.ceremonyId().toString(), answer, "JUnit", ADDRESS)));
    }

    @Test
    void a_ceremony_expires_after_its_lifetime() {
        register(caller, laptop, "laptop");
        PasskeyOptions options = app.passkeySignIn.startSignIn(ADDRESS);
        app.clock.advance(PasskeyCeremony.LIFETIME);
        String answer = laptop.get(asWebAuthn(options));
        assertThrows(UnauthenticatedException.class, () -> app.passkeySignIn.finishSignIn(
                new PasskeySignInCommand(options.ceremonyId().toString(), answer, "JUnit", ADDRESS)));
    }

    @Test
    void anonymous_ceremony_starts_are_limited_per_address_and_a_sign_in_keeps_one_second_factor_ceremony() {
        register(caller, laptop, "laptop");
        String token = password().signInToken();
        int before = app.passkeyCeremonies();
        for (int i = 0; i < SharedAccountThrottle.CEREMONIES_PER_ADDRESS / 2; i++) {
            app.passkeySignIn.startSecondFactor(token, "198.51.100.7");
        }
        assertEquals(before + 1, app.passkeyCeremonies(), "each start replaced the sign-in's last one");
        for (int i = SharedAccountThrottle.CEREMONIES_PER_ADDRESS / 2; i < SharedAccountThrottle.CEREMONIES_PER_ADDRESS; i++) {
            app.passkeySignIn.startSignIn("198.51.100.7");
        }
        var refused = assertThrows(RateLimitedException.class, () -> app.passkeySignIn.startSignIn("198.51.100.7"));
        assertTrue(refused.retryAfter().toSeconds() > 0);
        assertThrows(RateLimitedException.class, () -> app.passkeySignIn.startSecondFactor(token, "198.51.100.7"));
        assertEquals(before + 1 + SharedAccountThrottle.CEREMONIES_PER_ADDRESS / 2, app.passkeyCeremonies(),
                "a refused start stores nothing");
        app.passkeySignIn.startSignIn("198.51.100.8"); // another address is not held back
        app.clock.advance(SharedAccountThrottle.CEREMONY_INTERVAL);
        app.passkeySignIn.startSignIn("198.51.100.7");
    }

    @Test
    void without_passkeys_there_is_no_passkey_second_factor() {
        assertFalse(app.twoFactors.factors(ada.user().id()).any());
        assertThrows(UnauthenticatedException.class, () -> app.passkeySignIn.startSecondFactor("no-such-token", ADDRESS));
    }
}
