package com.orgkeys.application.twofactor.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SecondFactorRequired;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInOutcome;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.RequestSignInMailCommand;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.SignInWithCodeCommand;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.SignInWithLinkCommand;
import com.orgkeys.application.account.service.SecondFactorSignInService;
import com.orgkeys.application.mail.port.out.SignInMail;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail.Change;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.application.twofactor.port.in.ManageTwoFactorUseCase.RecoveryCodesIssued;
import com.orgkeys.application.twofactor.port.in.ManageTwoFactorUseCase.TotpEnrollment;
import com.orgkeys.application.twofactor.port.in.SignInWithSecondFactorUseCase.SecondFactorCommand;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoFactorServiceTest {
    private static final Duration STEP = Duration.ofSeconds(Totp.PERIOD_SECONDS);

    private final TestApplication app = new TestApplication();
    private final SignedIn ada = app.signUp("Ada");
    private final Organization org = app.organization("Engines", ada);
    private final UserCaller caller = app.callerOf(ada);

    private byte[] secretOf(TotpEnrollment enrollment) {
        return Base32.decode(enrollment.secret());
    }

    private String codeNow(byte[] secret) {
        return Totp.code(secret, Totp.step(app.clock.instant()));
    }

    /** Enrolls Ada; the clock is then one step after the confirming code. */
    private byte[] enroll() {
        byte[] secret = secretOf(app.twoFactor.startTotp(caller));
        RecoveryCodesIssued codes = app.twoFactor.confirmTotp(caller, codeNow(secret));
        assertEquals(10, codes.codes().size());
        app.clock.advance(STEP);
        lastRecoveryCodes = codes.codes();
        return secret;
    }

    private List<String> lastRecoveryCodes;

    private SecondFactorRequired pendingSignIn() {
        SignInOutcome outcome = app.accounts.signIn(new SignInCommand("ada@example.com", PASSWORD, "JUnit", ADDRESS));
        return assertInstanceOf(SecondFactorRequired.class, outcome);
    }

    private SignedIn second(String token, String code, String recovery) {
        return app.secondFactor.signInWithSecondFactor(new SecondFactorCommand(token, code, recovery, "JUnit", ADDRESS));
    }

    private List<Change> mailedChanges() {
        app.deliverMail();
        return app.mailer.sent().stream().filter(TwoFactorChangedMail.class::isInstance)
                .map(m -> ((TwoFactorChangedMail) m).change()).toList();
    }

    @Test
    void enrollment_is_pending_until_a_code_confirms_it_and_then_sign_in_needs_a_code() {
        TotpEnrollment first = app.twoFactor.startTotp(caller);
        TotpEnrollment second = app.twoFactor.startTotp(caller); // replaces the first
        assertTrue(second.uri().startsWith("otpauth://totp/orgkeys:ada@example.com?secret=" + second.secret()));
        assertTrue(app.twoFactor.status(caller).pending());
        assertInstanceOf(SignedIn.class, app.accounts.signIn(new SignInCommand("ada@example.com", PASSWORD, "JUnit", ADDRESS)),
                "pending: not on yet");
        assertThrows(InvalidInputException.class, () -> app.twoFactor.confirmTotp(caller, codeNow(secretOf(first))));
        assertThrows(InvalidInputException.class, () -> app.twoFactor.confirmTotp(caller, "12345"));

        app.twoFactor.confirmTotp(caller, codeNow(secretOf(second)));

        var status = app.twoFactor.status(caller);
        assertTrue(status.enabled());
        assertEquals(10, status.recoveryCodesLeft());
        assertEquals(app.clock.instant(), status.since().orElseThrow());
        assertThrows(ConflictException.class, () -> app.twoFactor.startTotp(caller));
        assertInstanceOf(SecondFactorRequired.class,
                app.accounts.signIn(new SignInCommand("ada@example.com", PASSWORD, "JUnit", ADDRESS)));
        assertEquals(List.of(Change.ENABLED), mailedChanges());
        assertEquals("user:" + ada.user().id(), app.auditEvent(org, "user.two_factor.enabled").actor().toString());
    }

    @Test
    void the_second_factor_opens_a_session_once_and_a_code_is_not_accepted_twice() {
        byte[] secret = enroll();
        int sessionsBefore = app.accounts.listSessions(caller).size();
        SecondFactorRequired pending = pendingSignIn();
        assertEquals(sessionsBefore, app.accounts.listSessions(caller).size(), "no session before the code");
        assertEquals(app.clock.instant().plus(Duration.ofMinutes(5)), pending.expiresAt());

        String code = codeNow(secret);
        SignedIn signedIn = second(pending.signInToken(), code, null);
        assertTrue(app.accounts.authenticate(signedIn.sessionToken(), ADDRESS).isPresent());
        assertThrows(UnauthenticatedException.class, () -> second(pending.signInToken(), code, null), "token used");

        SecondFactorRequired again = pendingSignIn();
        assertThrows(UnauthenticatedException.class, () -> second(again.signInToken(), code, null), "replayed code");
        app.clock.advance(STEP);
        assertInstanceOf(SignedIn.class, second(again.signInToken(), codeNow(secret), null));
    }

    @Test
    void a_recovery_code_signs_in_once_and_is_mailed_and_audited() {
        enroll();
        String recovery = lastRecoveryCodes.get(3);
        assertInstanceOf(SignedIn.class, second(pendingSignIn().signInToken(), null, recovery.toUpperCase()));
        String next = pendingSignIn().signInToken();
        assertThrows(UnauthenticatedException.class, () -> second(next, null, recovery));
        assertEquals(9, app.twoFactor.status(caller).recoveryCodesLeft());
        assertEquals(List.of(Change.ENABLED, Change.RECOVERY_CODE_USED), mailedChanges());
        assertEquals("recovery_codes_left=9", app.auditEvent(org, "user.two_factor.recovery_code_used").details());
    }

    @Test
    void the_input_must_be_one_well_formed_code() {
        enroll();
        String token = pendingSignIn().signInToken();
        assertThrows(InvalidInputException.class, () -> second(token, null, null));
        assertThrows(InvalidInputException.class, () -> second(token, "123456", "abcde-fghij"));
        assertThrows(InvalidInputException.class, () -> second(token, "12345x", null));
        assertThrows(InvalidInputException.class, () -> second(token, null, "not a code"));
        assertThrows(InvalidInputException.class, () -> second("", "123456", null));
        assertThrows(UnauthenticatedException.class, () -> second("x".repeat(500), "123456", null));
        assertThrows(UnauthenticatedException.class, () -> second("unknown-token", "123456", null));
    }

    @Test
    void five_wrong_codes_end_the_pending_sign_in_even_for_the_right_code() {
        byte[] secret = enroll();
        String token = pendingSignIn().signInToken();
        String right = codeNow(secret);
        String wrong = "%06d".formatted((Integer.parseInt(right) + 1) % 1_000_000);
        for (int i = 0; i < 5; i++) assertThrows(UnauthenticatedException.class, () -> second(token, wrong, null));
        // the throttle's window (5 attempts per account and address) refuses first; once it passes, the token's own
        // count still does
        assertThrows(RateLimitedException.class, () -> second(token, right, null));
        app.clock.advance(Duration.ofMinutes(3).plusSeconds(1));
        String later = codeNow(secret);
        assertThrows(UnauthenticatedException.class, () -> second(token, later, null));
    }

    @Test
    void the_pending_sign_in_expires_after_five_minutes() {
        byte[] secret = enroll();
        String token = pendingSignIn().signInToken();
        app.clock.advance(Duration.ofMinutes(5));
        assertThrows(UnauthenticatedException.class, () -> second(token, codeNow(secret), null));
    }

    @Test
    void a_mailed_code_or_link_of_a_totp_user_ends_pending_too() {
        byte[] secret = enroll();
        app.emailSignIn.requestSignInMail(new RequestSignInMailCommand("ada@example.com", ADDRESS));
        app.deliverMail();
        SignInMail mail = app.mailer.sent().stream().filter(SignInMail.class::isInstance).map(SignInMail.class::cast)
                .toList().getLast();
        SignInOutcome byCode = app.emailSignIn.signInWithCode(new SignInWithCodeCommand("ada@example.com", mail.code(),
                "JUnit", ADDRESS));
        assertInstanceOf(SecondFactorRequired.class, byCode);

        app.emailSignIn.requestSignInMail(new RequestSignInMailCommand("ada@example.com", ADDRESS));
        app.deliverMail();
        SignInMail second = app.mailer.sent().stream().filter(SignInMail.class::isInstance).map(SignInMail.class::cast)
                .toList().getLast();
        String token = second.signInUrl().substring(second.signInUrl().indexOf("token=") + "token=".length());
        SignInOutcome byLink = app.emailSignIn.signInWithLink(new SignInWithLinkCommand(token, "JUnit", ADDRESS));
        SecondFactorRequired pending = assertInstanceOf(SecondFactorRequired.class, byLink);
        assertInstanceOf(SignedIn.class, second(pending.signInToken(), codeNow(secret), null));
    }

    @Test
    void disabling_and_new_recovery_codes_need_the_current_password() {
        enroll();
        List<String> old = lastRecoveryCodes;
        assertThrows(InvalidInputException.class, () -> app.twoFactor.regenerateRecoveryCodes(caller, "wrong password"));
        assertThrows(InvalidInputException.class, () -> app.twoFactor.disableTotp(caller, null));
        RecoveryCodesIssued fresh = app.twoFactor.regenerateRecoveryCodes(caller, PASSWORD);
        assertFalse(fresh.codes().contains(old.getFirst()));
        assertThrows(UnauthenticatedException.class, () -> second(pendingSignIn().signInToken(), null, old.getFirst()),
                "the old codes stopped working");

        app.twoFactor.disableTotp(caller, PASSWORD);
        assertFalse(app.twoFactor.status(caller).enabled());
        assertEquals(0, app.twoFactor.status(caller).recoveryCodesLeft());
        assertEquals(0, app.twoFactors.recoveryCodesLeft(ada.user().id()), "the codes went too");
        assertInstanceOf(SignedIn.class, app.accounts.signIn(new SignInCommand("ada@example.com", PASSWORD, "JUnit", ADDRESS)));
        assertThrows(ConflictException.class, () -> app.twoFactor.disableTotp(caller, PASSWORD));
        assertEquals(List.of(Change.ENABLED, Change.RECOVERY_CODES_REGENERATED, Change.DISABLED), mailedChanges());
        app.auditEvent(org, "user.two_factor.disabled");
        app.auditEvent(org, "user.two_factor.recovery_codes_regenerated");
    }

    @Test
    void secrets_are_encrypted_and_still_decrypt_after_two_rotations() {
        byte[] secret = enroll();
        byte[] stored = app.twoFactors.findTotp(ada.user().id()).orElseThrow().secret().ciphertext();
        assertFalse(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(new String(secret, java.nio.charset.StandardCharsets.ISO_8859_1)));
        app.serverSecrets.rotateSecrets();
        app.serverSecrets.rotateSecrets();
        assertEquals(1, app.twoFactors.findTotp(ada.user().id()).orElseThrow().secret().keyVersion());
        assertInstanceOf(SignedIn.class, second(pendingSignIn().signInToken(), codeNow(secret), null));
    }

    @Test
    void turning_it_on_ends_the_users_other_sessions_but_not_this_one() {
        SignedIn laptop = assertInstanceOf(SignedIn.class,
                app.accounts.signIn(new SignInCommand("ada@example.com", PASSWORD, "JUnit", ADDRESS)));
        assertTrue(app.accounts.authenticate(laptop.sessionToken(), ADDRESS).isPresent());
        enroll();
        assertTrue(app.accounts.authenticate(laptop.sessionToken(), ADDRESS).isEmpty(), "the other session ended");
        assertTrue(app.accounts.authenticate(ada.sessionToken(), ADDRESS).isPresent(), "this one goes on");
        assertEquals("recovery_codes=10 other_sessions_revoked=1",
                app.auditEvent(org, "user.two_factor.enabled").details());
    }

    @Test
    void a_code_used_already_is_refused_as_used_and_a_wrong_one_as_wrong() {
        byte[] secret = enroll();
        String code = codeNow(secret);
        second(pendingSignIn().signInToken(), code, null);
        var replayed = assertThrows(UnauthenticatedException.class,
                () -> second(pendingSignIn().signInToken(), code, null));
        assertEquals(SecondFactorSignInService.USED_CODE, replayed.getMessage());
        String wrong = "%06d".formatted((Integer.parseInt(code) + 1) % 1_000_000);
        var refused = assertThrows(UnauthenticatedException.class,
                () -> second(pendingSignIn().signInToken(), wrong, null));
        assertEquals(SecondFactorSignInService.WRONG_CODE, refused.getMessage());
    }
}
