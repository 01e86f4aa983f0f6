package com.orgkeys.application.passkey.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SecondFactorRequired;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.FinishRegistrationCommand;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.PasskeyOptions;
import com.orgkeys.application.passkey.port.in.ManagePasskeysUseCase.Registered;
import com.orgkeys.application.passkey.port.out.WebAuthn;
import com.orgkeys.application.testing.FakeWebAuthn.Authenticator;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase.SecondFactorCommand;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.domain.twofactor.Base32;
import com.orgkeys.domain.twofactor.Totp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static com.orgkeys.application.testing.TestApplication.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recovery codes of an account whose second factor is (or becomes) passkeys alone. */
class PasskeyRecoveryCodesTest {
    private final TestApplication app = new TestApplication();
    private final SignedIn ada = app.signUp("Ada");
    private final Organization org = app.organization("Engines", ada);
    private final UserCaller caller = app.callerOf(ada);

    private Registered register(Authenticator authenticator, String name) {
        PasskeyOptions options = app.passkeys.startRegistration(caller);
        return app.passkeys.finishRegistration(caller, new FinishRegistrationCommand(options.ceremonyId().toString(),
                name, authenticator.create(new WebAuthn.Options(options.publicKey(), options.publicKey()))));
    }

    private String signInToken() {
        return assertInstanceOf(SecondFactorRequired.class,
                app.accounts.signIn(new SignInCommand("ada@example.com", PASSWORD, "JUnit", ADDRESS))).signInToken();
    }

    private SignedIn withRecoveryCode(String code) {
        return app.secondFactor.signInWithSecondFactor(new SecondFactorCommand(signInToken(), null, code, "JUnit",
                ADDRESS));
    }

    /** Turns the authenticator app on; the clock is then one step after the confirming code. */
    private List<String> enrollTotp() {
        byte[] secret = Base32.decode(app.twoFactor.startTotp(caller).secret());
        List<String> codes = app.twoFactor.confirmTotp(caller, Totp.code(secret, Totp.step(app.clock.instant()))).codes();
        app.clock.advance(Duration.ofSeconds(Totp.PERIOD_SECONDS));
        return codes;
    }

    @Test
    void the_first_passkey_comes_with_ten_recovery_codes_and_the_next_ones_without() {
        Registered first = register(new Authenticator(), "laptop");
        assertEquals(10, first.recoveryCodes().size());
        assertEquals(10, app.twoFactor.status(caller).recoveryCodesLeft());
        assertEquals("passkey=" + first.passkey().id() + " recovery_codes=10",
                app.auditEvent(org, "user.two_factor.passkey_added").details());

        assertEquals(List.of(), register(new Authenticator(), "phone").recoveryCodes());
        assertEquals(10, app.twoFactor.status(caller).recoveryCodesLeft(), "the first codes still work");
    }

    @Test
    void a_recovery_code_is_a_second_factor_of_a_passkey_only_account_once() {
        String code = register(new Authenticator(), "laptop").recoveryCodes().getFirst();
        assertEquals(ada.user().id(), withRecoveryCode(code).user().id());
        assertThrows(UnauthenticatedException.class, () -> withRecoveryCode(code), "used");
        assertEquals(9, app.twoFactor.status(caller).recoveryCodesLeft());
    }

    @Test
    void a_passkey_only_account_regenerates_its_codes_and_the_old_ones_die() {
        List<String> old = register(new Authenticator(), "laptop").recoveryCodes();
        List<String> fresh = app.twoFactor.regenerateRecoveryCodes(caller, PASSWORD).codes();
        assertEquals(10, fresh.size());
        assertNotEquals(old, fresh);
        assertThrows(UnauthenticatedException.class, () -> withRecoveryCode(old.getFirst()));
        assertEquals(ada.user().id(), withRecoveryCode(fresh.getFirst()).user().id());
    }

    @Test
    void removing_the_last_passkey_turns_two_factor_off_and_deletes_the_codes() {
        Registered laptop = register(new Authenticator(), "laptop");
        Registered phone = register(new Authenticator(), "phone");
        app.passkeys.remove(caller, laptop.passkey().id(), PASSWORD);
        assertEquals(10, app.twoFactor.status(caller).recoveryCodesLeft(), "one passkey left");

        app.passkeys.remove(caller, phone.passkey().id(), PASSWORD);
        assertFalse(app.twoFactors.factors(ada.user().id()).any());
        assertEquals(0, app.twoFactors.recoveryCodesLeft(ada.user().id()));
        assertEquals(List.of("passkey=" + laptop.passkey().id(), "passkey=" + phone.passkey().id() + " two_factor=off"),
                app.auditLog.all(org.id()).stream().filter(e -> e.action().equals("user.two_factor.passkey_removed"))
                        .map(e -> e.details()).sorted((a, b) -> a.length() - b.length()).toList());
        assertInstanceOf(SignedIn.class,
                app.accounts.signIn(new SignInCommand("ada@example.com", PASSWORD, "JUnit", ADDRESS)));
        assertThrows(ConflictException.class, () -> app.twoFactor.regenerateRecoveryCodes(caller, PASSWORD));
    }

    @Test
    void turning_the_app_off_while_passkeys_remain_keeps_two_factor_and_the_codes() {
        register(new Authenticator(), "laptop");
        List<String> codes = enrollTotp();
        app.twoFactor.disableTotp(caller, PASSWORD);

        assertTrue(app.twoFactors.factors(ada.user().id()).passkey());
        assertEquals(10, app.twoFactor.status(caller).recoveryCodesLeft());
        assertEquals(ada.user().id(), withRecoveryCode(codes.getFirst()).user().id());
    }

    @Test
    void turning_the_app_off_without_passkeys_deletes_the_codes() {
        enrollTotp();
        app.twoFactor.disableTotp(caller, PASSWORD);
        assertEquals(0, app.twoFactors.recoveryCodesLeft(ada.user().id()));
        assertEquals(10, register(new Authenticator(), "laptop").recoveryCodes().size(), "a later first passkey");
    }
}
