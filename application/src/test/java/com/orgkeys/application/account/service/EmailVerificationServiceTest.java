package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.port.in.VerifyEmailUseCase.VerifyEmailCommand;
import com.orgkeys.application.mail.port.out.EmailVerificationMail;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmailVerificationServiceTest {
    private final TestApplication app = new TestApplication();

    private EmailVerificationMail lastMail(SignedIn user) {
        app.deliverMail();
        return app.mailer.sent().stream().filter(EmailVerificationMail.class::isInstance)
                .map(EmailVerificationMail.class::cast).filter(m -> m.to().equals(user.user().email()))
                .reduce((a, b) -> b).orElseThrow();
    }

    private static String tokenOf(EmailVerificationMail mail) {
        return mail.verifyUrl().substring(mail.verifyUrl().indexOf("token=") + "token=".length());
    }

    private boolean verified(SignedIn user) {
        return app.users.findById(user.user().id()).orElseThrow().emailVerified();
    }

    private static String wrong(String code) {
        return "%06d".formatted((Integer.parseInt(code) + 1) % 1_000_000);
    }

    @Test
    public void sign_up_mails_a_link_valid_for_a_day_and_a_code_valid_for_ten_minutes() {
        SignedIn alice = app.signUpUnverified("Alice");

        EmailVerificationMail mail = lastMail(alice);
        assertFalse(verified(alice));
        assertTrue(mail.verifyUrl().startsWith(TestApplication.ORIGIN + "/verify-email?token="), mail.verifyUrl());
        assertTrue(mail.code().matches("[0-9]{6}"), mail.code());
        assertEquals(app.clock.instant().plus(Duration.ofHours(24)), mail.linkExpiresAt());
        assertEquals(app.clock.instant().plus(Duration.ofMinutes(10)), mail.codeExpiresAt());
        assertFalse(app.contents().toString().contains(tokenOf(mail)));
    }

    @Test
    public void the_link_verifies_its_own_user_once() {
        SignedIn alice = app.signUpUnverified("Alice");
        SignedIn mallory = app.signUpUnverified("Mallory");
        String token = tokenOf(lastMail(alice));

        assertThrows(InvalidInputException.class, () -> app.emailVerification.verifyEmail(app.callerOf(mallory),
                new VerifyEmailCommand(token, null)));
        assertFalse(verified(mallory));
        app.emailVerification.verifyEmail(app.callerOf(alice), new VerifyEmailCommand(token, null));
        assertTrue(verified(alice));
        app.emailVerification.verifyEmail(app.callerOf(alice), new VerifyEmailCommand(token, null)); // a no-op now
    }

    @Test
    public void an_expired_link_verifies_nothing() {
        SignedIn alice = app.signUpUnverified("Alice");
        String token = tokenOf(lastMail(alice));
        app.clock.advance(Duration.ofHours(24));

        assertThrows(InvalidInputException.class, () -> app.emailVerification.verifyEmail(app.callerOf(alice),
                new VerifyEmailCommand(token, null)));
        assertFalse(verified(alice));
    }

    @Test
    public void the_code_verifies_within_ten_minutes_only() {
        SignedIn alice = app.signUpUnverified("Alice");
        SignedIn bob = app.signUpUnverified("Bob");
        String alicesCode = lastMail(alice).code();
        String bobsCode = lastMail(bob).code();

        app.emailVerification.verifyEmail(app.callerOf(alice), new VerifyEmailCommand(null, alicesCode));
        assertTrue(verified(alice));
        app.clock.advance(Duration.ofMinutes(10));
        var e = assertThrows(InvalidInputException.class, () -> app.emailVerification.verifyEmail(app.callerOf(bob),
                new VerifyEmailCommand(null, bobsCode)));
        assertEquals("code", e.errors().getFirst().field());
        assertFalse(verified(bob));
    }

    @Test
    public void exactly_one_of_token_and_code_and_a_code_is_six_digits() {
        UserCaller alice = app.callerOf(app.signUpUnverified("Alice"));

        for (var command : List.of(new VerifyEmailCommand(null, null), new VerifyEmailCommand("t", "123456"),
                new VerifyEmailCommand(null, "12345"), new VerifyEmailCommand(null, "12345a"))) {
            assertThrows(InvalidInputException.class, () -> app.emailVerification.verifyEmail(alice, command));
        }
    }

    @Test
    public void five_wrong_codes_end_the_code_even_the_right_one_after_them() {
        SignedIn alice = app.signUpUnverified("Alice");
        String code = lastMail(alice).code();

        for (int i = 0; i < EmailVerifications.MAX_CODE_ATTEMPTS; i++) {
            assertThrows(InvalidInputException.class, () -> app.emailVerification.verifyEmail(app.callerOf(alice),
                    new VerifyEmailCommand(null, wrong(code))));
        }
        assertThrows(InvalidInputException.class, () -> app.emailVerification.verifyEmail(app.callerOf(alice),
                new VerifyEmailCommand(null, code)));
        assertFalse(verified(alice));
    }

    @Test
    public void parallel_guesses_past_the_limit_are_refused() throws Exception {
        SignedIn alice = app.signUpUnverified("Alice");
        String code = lastMail(alice).code();
        UserCaller caller = app.callerOf(alice);
        int threads = 40;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                String guess = wrong(code);
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        app.emailVerification.verifyEmail(caller, new VerifyEmailCommand(null, guess));
                        return true;
                    } catch (InvalidInputException e) {
                        return e.errors().getFirst().message().startsWith("is wrong"); // compared: a counted try
                    }
                }));
            }
            start.countDown();
            int compared = 0;
            for (Future<Boolean> result : results) if (result.get()) compared++;
            assertEquals(EmailVerifications.MAX_CODE_ATTEMPTS, compared);
        } finally {
            pool.shutdownNow();
        }
        assertThrows(InvalidInputException.class, () -> app.emailVerification.verifyEmail(caller,
                new VerifyEmailCommand(null, code)));
    }

    @Test
    public void a_resend_replaces_link_and_code_and_is_throttled() {
        SignedIn alice = app.signUpUnverified("Alice");
        EmailVerificationMail first = lastMail(alice);

        app.emailVerification.resendVerification(app.callerOf(alice));
        EmailVerificationMail second = lastMail(alice);
        assertThrows(InvalidInputException.class, () -> app.emailVerification.verifyEmail(app.callerOf(alice),
                new VerifyEmailCommand(tokenOf(first), null)));
        for (int i = 1; i < SharedAccountThrottle.VERIFICATION_MAILS_PER_EMAIL; i++) {
            app.emailVerification.resendVerification(app.callerOf(alice));
        }
        assertThrows(RateLimitedException.class, () -> app.emailVerification.resendVerification(app.callerOf(alice)));
        app.emailVerification.verifyEmail(app.callerOf(alice), new VerifyEmailCommand(null, lastMail(alice).code()));
        assertTrue(verified(alice));
        assertThrows(ConflictException.class, () -> app.emailVerification.resendVerification(app.callerOf(alice)));
        assertFalse(first.code().equals(second.code()) && first.verifyUrl().equals(second.verifyUrl()));
    }

    @Test
    public void once_verified_a_well_formed_code_or_link_changes_nothing_and_a_malformed_one_is_still_refused() {
        SignedIn alice = app.verifyEmail(app.signUpUnverified("Alice"));
        UserCaller caller = app.callerOf(alice);
        Object before = app.contents();

        app.emailVerification.verifyEmail(caller, new VerifyEmailCommand(null, "123456"));
        app.emailVerification.verifyEmail(caller, new VerifyEmailCommand("a-token-of-no-mail", null));
        assertEquals(before, app.contents());
        assertEquals("code", assertThrows(InvalidInputException.class, () -> app.emailVerification.verifyEmail(caller,
                new VerifyEmailCommand(null, "12345x"))).errors().getFirst().field());
        assertEquals("token", assertThrows(InvalidInputException.class, () -> app.emailVerification.verifyEmail(caller,
                new VerifyEmailCommand("t".repeat(LinkTokens.MAX_LENGTH + 1), null))).errors().getFirst().field());
    }
}
