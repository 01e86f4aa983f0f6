package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignUpCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.port.in.ResetPasswordUseCase.RequestResetCommand;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.RequestSignInMailCommand;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.SignInWithCodeCommand;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.SignInWithLinkCommand;
import com.orgkeys.application.account.port.in.VerifyEmailUseCase.VerifyEmailCommand;
import com.orgkeys.application.mail.port.out.EmailVerificationMail;
import com.orgkeys.application.mail.port.out.SignInMail;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import com.orgkeys.domain.shared.Secrets;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static com.orgkeys.application.testing.TestApplication.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmailSignInServiceTest {
    private final TestApplication app = new TestApplication();

    private List<SignInMail> signInMails() {
        app.deliverMail();
        return app.mailer.sent().stream().filter(SignInMail.class::isInstance).map(SignInMail.class::cast).toList();
    }

    private SignInMail request(String email) {
        app.emailSignIn.requestSignInMail(new RequestSignInMailCommand(email, ADDRESS));
        return signInMails().getLast();
    }

    private static String tokenOf(SignInMail mail) {
        return mail.signInUrl().substring(mail.signInUrl().indexOf("token=") + "token=".length());
    }

    private static String wrong(String code) {
        return "%06d".formatted((Integer.parseInt(code) + 1) % 1_000_000);
    }

    private SignedIn withCode(String email, String code, String address) {
        return (SignedIn) app.emailSignIn.signInWithCode(new SignInWithCodeCommand(email, code, "JUnit", address));
    }

    private SignedIn withLink(String token) {
        return (SignedIn) app.emailSignIn.signInWithLink(new SignInWithLinkCommand(token, "JUnit", ADDRESS));
    }

    private boolean verified(SignedIn user) {
        return app.users.findById(user.user().id()).orElseThrow().emailVerified();
    }

    @Test
    public void a_request_mails_one_link_and_one_code_valid_for_ten_minutes_and_keeps_only_hashes() {
        SignedIn alice = app.signUpUnverified("Alice");

        SignInMail mail = request(" ALICE@example.com ");

        assertEquals(1, signInMails().size());
        assertEquals(alice.user().email(), mail.to());
        assertEquals("Alice", mail.name());
        assertTrue(mail.signInUrl().startsWith(TestApplication.ORIGIN + "/sign-in/link?token="), mail.signInUrl());
        assertEquals(43, tokenOf(mail).length());
        assertTrue(mail.code().matches("[0-9]{6}"), mail.code());
        assertEquals(app.clock.instant().plus(Duration.ofMinutes(10)), mail.expiresAt());
        assertFalse(app.contents().toString().contains(tokenOf(mail)));
    }

    @Test
    public void an_unknown_email_gets_the_same_answer_and_no_mail() {
        app.signUpUnverified("Alice");
        app.deliverMail(); // the sign-up's verification mail
        Object before = app.contents();

        app.emailSignIn.requestSignInMail(new RequestSignInMailCommand("nobody@example.com", ADDRESS));

        assertEquals(before, app.contents(), "no token, no mail in the outbox");
        assertTrue(signInMails().isEmpty());
    }

    @Test
    public void the_code_signs_in_once_and_ends_the_link_of_its_mail() {
        SignedIn alice = app.signUpUnverified("Alice");
        SignInMail mail = request("alice@example.com");

        SignedIn signedIn = withCode("alice@example.com", mail.code(), ADDRESS);

        assertEquals(alice.user().id(), signedIn.user().id());
        assertEquals(alice.user().id(), app.callerOf(signedIn).userId());
        assertTrue(verified(alice), "a code read from the mail proves the address");
        assertThrows(UnauthenticatedException.class, () -> withCode("alice@example.com", mail.code(), ADDRESS));
        assertThrows(InvalidInputException.class, () -> withLink(tokenOf(mail)));
    }

    @Test
    public void the_link_names_its_address_without_using_it_then_signs_in_once() {
        SignedIn alice = app.signUpUnverified("Alice");
        SignInMail mail = request("alice@example.com");
        Object before = app.contents();

        assertEquals(Optional.of(new Email("alice@example.com")), app.emailSignIn.linkFor(tokenOf(mail)));
        assertEquals(before, app.contents(), "looking at a link changes nothing (mail scanners open links)");
        SignedIn signedIn = withLink(tokenOf(mail));

        assertEquals(alice.user().id(), app.callerOf(signedIn).userId());
        assertTrue(verified(alice));
        assertEquals(Optional.empty(), app.emailSignIn.linkFor(tokenOf(mail)));
        var again = assertThrows(InvalidInputException.class, () -> withLink(tokenOf(mail)));
        assertEquals("token", again.errors().getFirst().field());
        assertThrows(UnauthenticatedException.class, () -> withCode("alice@example.com", mail.code(), ADDRESS));
    }

    @Test
    public void a_mail_sign_in_to_an_account_nobody_verified_ends_its_sessions_and_its_password() {
        // someone signs up with an address that is not theirs and keeps a session; the owner signs in by mail
        SignedIn squatter = app.accounts.signUp(new SignUpCommand("ceo@example.com", PASSWORD, "Not the CEO", "JUnit",
                ADDRESS));
        SignedIn otherBrowser = (SignedIn) app.accounts.signIn(new SignInCommand("ceo@example.com", PASSWORD, "JUnit", ADDRESS));

        SignedIn owner = withLink(tokenOf(request("ceo@example.com")));

        assertEquals(Optional.empty(), app.accounts.authenticate(squatter.sessionToken(), ADDRESS));
        assertEquals(Optional.empty(), app.accounts.authenticate(otherBrowser.sessionToken(), ADDRESS));
        assertTrue(app.accounts.authenticate(owner.sessionToken(), ADDRESS).isPresent());
        assertThrows(UnauthenticatedException.class,
                () -> app.accounts.signIn(new SignInCommand("ceo@example.com", PASSWORD, "JUnit", ADDRESS)));
        assertTrue(verified(owner));
    }

    @Test
    public void a_mail_sign_in_to_a_verified_account_keeps_its_other_sessions_and_its_password() {
        SignedIn alice = app.accounts.signUp(new SignUpCommand("alice@example.com", PASSWORD, "Alice", "JUnit", ADDRESS));
        app.deliverMail();
        String code = app.mailer.sent().stream().filter(EmailVerificationMail.class::isInstance)
                .map(m -> ((EmailVerificationMail) m).code()).reduce((a, b) -> b).orElseThrow();
        if (!verified(alice)) app.emailVerification.verifyEmail(app.callerOf(alice), new VerifyEmailCommand(null, code));

        withLink(tokenOf(request("alice@example.com")));

        assertTrue(app.accounts.authenticate(alice.sessionToken(), ADDRESS).isPresent());
        app.accounts.signIn(new SignInCommand("alice@example.com", PASSWORD, "JUnit", ADDRESS));
    }

    @Test
    public void link_and_code_expire_after_ten_minutes() {
        app.signUpUnverified("Alice");
        SignInMail mail = request("alice@example.com");
        app.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertTrue(app.emailSignIn.linkFor(tokenOf(mail)).isPresent());
        app.clock.advance(Duration.ofSeconds(1));

        assertEquals(Optional.empty(), app.emailSignIn.linkFor(tokenOf(mail)));
        assertThrows(InvalidInputException.class, () -> withLink(tokenOf(mail)));
        assertThrows(UnauthenticatedException.class, () -> withCode("alice@example.com", mail.code(), ADDRESS));
    }

    @Test
    public void five_wrong_codes_end_the_code_even_the_right_one_after_them() {
        SignedIn alice = app.signUpUnverified("Alice");
        SignInMail mail = request("alice@example.com");

        // from five addresses, so that the sign-in throttle (five per account and address) is not what refuses
        for (int i = 0; i < EmailSignInService.MAX_CODE_ATTEMPTS; i++) {
            String address = "198.51.100." + i;
            assertThrows(UnauthenticatedException.class, () -> withCode("alice@example.com", wrong(mail.code()), address));
        }
        assertThrows(UnauthenticatedException.class, () -> withCode("alice@example.com", mail.code(), "198.51.100.99"));
        assertFalse(verified(alice));
        SignedIn afresh = withLink(tokenOf(mail)); // the guesses were at the code; the link still works
        assertEquals(alice.user().id(), afresh.user().id());
    }

    @Test
    public void a_wrong_or_unknown_email_gets_the_same_answer_as_a_wrong_code() {
        app.signUpUnverified("Alice");
        SignInMail mail = request("alice@example.com");

        var wrongCode = assertThrows(UnauthenticatedException.class,
                () -> withCode("alice@example.com", wrong(mail.code()), ADDRESS));
        var unknown = assertThrows(UnauthenticatedException.class,
                () -> withCode("nobody@example.com", mail.code(), ADDRESS));
        var malformed = assertThrows(UnauthenticatedException.class, () -> withCode("not an email", mail.code(), ADDRESS));
        var noMail = assertThrows(UnauthenticatedException.class,
                () -> withCode("bob@example.com", mail.code(), ADDRESS));

        for (var e : List.of(unknown, malformed, noMail)) assertEquals(wrongCode.getMessage(), e.getMessage());
    }

    @Test
    public void a_code_is_six_digits() {
        for (String code : new String[]{null, "", "12345", "1234567", "12345a", "１２３４５６"}) {
            var e = assertThrows(InvalidInputException.class, () -> withCode("alice@example.com", code, ADDRESS));
            assertEquals("code", e.errors().getFirst().field());
        }
    }

    @Test
    public void a_new_request_replaces_the_earlier_link_and_code() {
        app.signUpUnverified("Alice");
        SignInMail first = request("alice@example.com");
        SignInMail second = request("alice@example.com");

        assertThrows(InvalidInputException.class, () -> withLink(tokenOf(first)));
        if (!first.code().equals(second.code())) {
            assertThrows(UnauthenticatedException.class, () -> withCode("alice@example.com", first.code(), ADDRESS));
        }
        withCode("alice@example.com", second.code(), ADDRESS);
    }

    @Test
    public void requests_for_one_email_are_throttled_apart_from_password_resets() {
        app.signUpUnverified("Alice");
        for (int i = 0; i < SharedAccountThrottle.RESETS_PER_EMAIL; i++) {
            app.emailSignIn.requestSignInMail(new RequestSignInMailCommand("alice@example.com", "198.51.100." + i));
        }
        assertThrows(RateLimitedException.class, () -> app.emailSignIn.requestSignInMail(
                new RequestSignInMailCommand("alice@example.com", "198.51.100.9")));
        app.passwordReset.requestReset(new RequestResetCommand("alice@example.com", ADDRESS)); // counted apart
    }

    @Test
    public void wrong_codes_count_as_failed_sign_ins_for_the_password_too() {
        app.signUpUnverified("Alice");
        SignInMail mail = request("alice@example.com");

        for (int i = 0; i < SharedAccountThrottle.ATTEMPTS_PER_ACCOUNT_AND_ADDRESS; i++) {
            assertThrows(UnauthenticatedException.class, () -> withCode("alice@example.com", wrong(mail.code()), ADDRESS));
        }
        assertThrows(RateLimitedException.class, () -> app.accounts.signIn(
                new SignInCommand("alice@example.com", PASSWORD, "JUnit", ADDRESS)));
        assertThrows(RateLimitedException.class, () -> withCode("alice@example.com", mail.code(), ADDRESS));
    }

    @Test
    public void parallel_guesses_past_the_limit_are_refused() throws Exception {
        SignedIn alice = app.signUpUnverified("Alice");
        SignInMail mail = request("alice@example.com");
        int threads = 40;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                String address = "198.51.100." + i; // each its own address: the code's limit is under test here
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        withCode("alice@example.com", wrong(mail.code()), address);
                        return "signed in";
                    } catch (UnauthenticatedException e) {
                        return "wrong";
                    } catch (RateLimitedException e) {
                        return "throttled";
                    }
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> result : results) outcomes.add(result.get());
            assertFalse(outcomes.contains("signed in"));
            assertTrue(outcomes.stream().filter("wrong"::equals).count() >= EmailSignInService.MAX_CODE_ATTEMPTS, outcomes::toString);
        } finally {
            pool.shutdownNow();
        }
        // each guess was counted before it was compared, and none past the limit
        assertEquals(EmailSignInService.MAX_CODE_ATTEMPTS, app.accountTokens.findUsable(AccountTokenPurpose.SIGN_IN,
                Secrets.sha256(tokenOf(mail)), app.clock.instant()).orElseThrow().attempts());
        app.clock.advance(Duration.ofMinutes(1)); // past the account's backoff, within the code's ten minutes
        assertThrows(UnauthenticatedException.class, () -> withCode("alice@example.com", mail.code(), "198.51.100.200"));
        assertFalse(verified(alice));
    }
}
