package com.orgkeys.application.contract;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignUpCommand;
import com.orgkeys.application.account.port.out.AccountThrottleStore;
import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.application.account.service.AccountService;
import com.orgkeys.application.testing.FakePasswordHasher;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.Password;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.orgkeys.application.account.port.in.ResetPasswordUseCase.ConfirmResetCommand;
import com.orgkeys.application.account.port.in.ResetPasswordUseCase.RequestResetCommand;
import com.orgkeys.application.account.port.in.SignInByEmailUseCase.RequestSignInMailCommand;
import com.orgkeys.application.mail.port.out.PasswordResetMail;
import static com.orgkeys.application.account.service.SharedAccountThrottle.ACCOUNT_AND_ADDRESS_INTERVAL;
import static com.orgkeys.application.account.service.SharedAccountThrottle.ACCOUNT_FAILURES_BEFORE_DELAY;
import static com.orgkeys.application.account.service.SharedAccountThrottle.ACCOUNT_LOCKOUT_AFTER;
import static com.orgkeys.application.account.service.SharedAccountThrottle.ACCOUNT_MEMORY;
import static com.orgkeys.application.account.service.SharedAccountThrottle.ATTEMPTS_PER_ACCOUNT_AND_ADDRESS;
import static com.orgkeys.application.account.service.SharedAccountThrottle.FAILURES_PER_ADDRESS;
import static com.orgkeys.application.account.service.SharedAccountThrottle.FIRST_DELAY;
import static com.orgkeys.application.account.service.SharedAccountThrottle.KNOWN_ADDRESSES_PER_ACCOUNT;
import static com.orgkeys.application.account.service.SharedAccountThrottle.KNOWN_ADDRESS_MEMORY;
import static com.orgkeys.application.account.service.SharedAccountThrottle.IPV6_48_FACTOR;
import static com.orgkeys.application.account.service.SharedAccountThrottle.IPV6_56_FACTOR;
import static com.orgkeys.application.account.service.SharedAccountThrottle.MAX_DELAY;
import static com.orgkeys.application.account.service.SharedAccountThrottle.PENDING_MEMORY;
import static com.orgkeys.application.account.service.SharedAccountThrottle.SIGN_UPS_PER_ADDRESS;
import static com.orgkeys.application.account.service.SharedAccountThrottle.RESETS_PER_EMAIL;
import static com.orgkeys.application.account.service.SharedAccountThrottle.SIGN_UP_INTERVAL;
import static com.orgkeys.application.testing.TestApplication.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sign-in and sign-up limits, through the service, with a clock that moves only when told, over each
 * implementation of {@link AccountThrottleStore}. Test methods are public so that subclasses in other packages
 * inherit them.
 */
public abstract class AccountThrottleContract {
    static final String HOME = "203.0.113.10";
    /** Accounts or addresses in a flood: enough to push entries out of any small store that made room that way. */
    static final int FLOOD = 100;
    private TestApplication app;

    /** A fresh, empty store (in memory, or JDBC over a new database). */
    protected abstract AccountThrottleStore newStore();

    /** How many entries the store holds now, expired or not. */
    protected abstract int storedEntries();

    @BeforeEach
    final void freshApplication() {
        app = new TestApplication(newStore());
    }

    private void signIn(String email, String password, String address) {
        app.accounts.signIn(new SignInCommand(email, password, "JUnit", address));
    }

    private void fail(String email, String address) {
        assertThrows(UnauthenticatedException.class, () -> signIn(email, "a wrong password!", address));
    }

    private static String address(int i) {
        return "198.51." + (i / 250) + "." + (i % 250 + 1);
    }

    /** The first three groups of an IPv6 address: the {@code i}th /48 (i below 2^20). */
    private static String ipv6In48(int i) {
        return "2001:" + Integer.toHexString(0x1000 + (i >> 16)) + ":" + Integer.toHexString(i & 0xffff);
    }

    /** Distinct IPv4 addresses, none of them another helper's. */
    private static String otherAddress(int i) {
        return "100." + (64 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
    }

    /** Blocks every verification until released, counting them: shows how many guesses are in flight at once. */
    static final class GatedHasher implements PasswordHasher {
        final FakePasswordHasher real = new FakePasswordHasher();
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicInteger entered = new AtomicInteger();

        @Override
        public String hash(Password password) {
            return real.hash(password);
        }

        @Override
        public boolean verify(String hash, char[] candidate) {
            entered.incrementAndGet();
            try {
                if (!open.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return real.verify(hash, candidate);
        }
    }

    @Test
    public void forty_parallel_wrong_guesses_let_at_most_the_limit_reach_the_hasher() throws Exception {
        app.signUp("Alice");
        GatedHasher hasher = new GatedHasher();
        AccountService accounts = new AccountService(app.users, app.sessions, app.memberships, app.organizations, app.roles, hasher,
                app.throttle, app.emailVerifications, app.twoFactors, app.accountTokens, app.tx, app.clock);
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Future<?>> guesses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int guess = i;
                guesses.add(pool.submit(() -> {
                    try {
                        accounts.signIn(new SignInCommand("alice@example.com", "guess number " + guess, "JUnit", HOME));
                    } catch (RateLimitedException e) {
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            // every guess is now either refused or waiting in the hasher: all are "in flight" at once
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (refused.get() + hasher.entered.get() < 40 && System.nanoTime() < deadline) Thread.onSpinWait();
            assertEquals(ATTEMPTS_PER_ACCOUNT_AND_ADDRESS, hasher.entered.get(), "guesses that reached the hasher");
            assertEquals(40 - ATTEMPTS_PER_ACCOUNT_AND_ADDRESS, refused.get());
            hasher.open.countDown();
            int wrong = 0;
            for (Future<?> guess : guesses) {
                try {
                    guess.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof UnauthenticatedException, e.getCause().toString());
                    wrong++;
                }
            }
            assertEquals(ATTEMPTS_PER_ACCOUNT_AND_ADDRESS, wrong);
        } catch (AssertionError e) {
            hasher.open.countDown();
            throw e;
        } finally {
            pool.shutdownNow();
        }
        // and then the right password is refused too, without reaching the hasher
        assertThrows(RateLimitedException.class, () -> accounts.signIn(new SignInCommand("alice@example.com", PASSWORD, "JUnit", HOME)));
        assertEquals(ATTEMPTS_PER_ACCOUNT_AND_ADDRESS, hasher.entered.get());
    }

    @Test
    public void oversized_fields_are_refused_before_hashing_counting_or_storing() {
        String huge = "a".repeat(1 << 20);
        var email = assertThrows(InvalidInputException.class, () -> signIn(huge + "@example.com", PASSWORD, HOME));
        assertEquals("email", email.errors().getFirst().field());
        var password = assertThrows(InvalidInputException.class, () -> signIn("alice@example.com", huge, HOME));
        assertEquals("password", password.errors().getFirst().field());
        assertThrows(InvalidInputException.class, () -> signIn("a".repeat(250) + "@example.com", PASSWORD, HOME));
        assertThrows(InvalidInputException.class, () -> signIn("alice@example.com", "😀".repeat(257), HOME));
        assertThrows(InvalidInputException.class, () -> app.accounts.signUp(
                new SignUpCommand(huge + "@example.com", huge, huge, "JUnit", HOME)));

        assertEquals(0, app.hasher.verifications());
        assertEquals(0, storedEntries());
    }

    @Test
    public void the_longest_possible_password_is_still_checked() {
        app.accounts.signUp(new SignUpCommand("alice@example.com", "😀".repeat(256), "Alice", "JUnit", HOME));
        signIn("alice@example.com", "😀".repeat(256), HOME);
    }

    @Test
    public void a_malformed_email_gets_the_wrong_password_answer_without_a_hash_or_a_counter() {
        for (int i = 0; i < 3 * FAILURES_PER_ADDRESS; i++) {
            assertThrows(UnauthenticatedException.class, () -> signIn("not an email", PASSWORD, HOME));
        }
        assertEquals(0, app.hasher.verifications());
        assertEquals(0, storedEntries());
    }

    @Test
    public void failures_from_many_addresses_make_every_further_attempt_wait_longer() {
        app.signUp("Alice");
        int next = 0;
        for (; next < ACCOUNT_FAILURES_BEFORE_DELAY; next++) fail("alice@example.com", address(next));
        Duration expected = FIRST_DELAY;
        for (int round = 0; round < 12; round++, next++) {
            var limited = assertThrows(RateLimitedException.class,
                    () -> signIn("alice@example.com", PASSWORD, address(1000)));
            assertEquals(expected, limited.retryAfter(), "round " + round);
            app.clock.advance(limited.retryAfter());
            fail("alice@example.com", address(next));
            expected = expected.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : expected.multipliedBy(2);
        }
    }

    @Test
    public void an_attacker_elsewhere_cannot_lock_the_owner_out_of_an_address_they_signed_in_from() {
        app.signUp("Alice");
        signIn("alice@example.com", PASSWORD, HOME);
        int attempts = 0;
        for (int i = 0; attempts < 60 && i < 1000; i++) {
            try {
                signIn("alice@example.com", "a wrong password!", address(i));
            } catch (UnauthenticatedException e) {
                attempts++;
            } catch (RateLimitedException e) {
                app.clock.advance(e.retryAfter());
            }
        }
        assertEquals(60, attempts);
        assertThrows(RateLimitedException.class, () -> signIn("alice@example.com", PASSWORD, "192.0.2.77"),
                "a new address waits");
        signIn("alice@example.com", PASSWORD, HOME); // the usual one does not
    }

    @Test
    public void a_hundred_consecutive_failures_lock_the_account_everywhere_until_they_are_forgotten() {
        app.signUp("Alice");
        signIn("alice@example.com", PASSWORD, HOME);
        int failures = 0;
        for (int i = 0; failures < ACCOUNT_LOCKOUT_AFTER && i < 10_000; i++) {
            try {
                signIn("alice@example.com", "a wrong password!", address(i));
                throw new AssertionError("signed in with a wrong password");
            } catch (UnauthenticatedException e) {
                failures++;
            } catch (RateLimitedException e) {
                app.clock.advance(e.retryAfter());
            }
        }
        assertEquals(ACCOUNT_LOCKOUT_AFTER, failures);
        int verified = app.hasher.verifications();
        var locked = assertThrows(RateLimitedException.class, () -> signIn("alice@example.com", PASSWORD, HOME));
        assertEquals(ACCOUNT_MEMORY, locked.retryAfter());
        assertEquals(verified, app.hasher.verifications(), "a locked account hashes nothing");

        app.clock.advance(ACCOUNT_MEMORY);
        signIn("alice@example.com", PASSWORD, HOME);
    }

    @Test
    public void a_password_reset_ends_a_lockout_at_once_and_a_guesser_starts_again_from_nothing() {
        app.signUp("Alice");
        int failures = 0;
        for (int i = 0; failures < ACCOUNT_LOCKOUT_AFTER && i < 10_000; i++) {
            try {
                signIn("alice@example.com", "a wrong password!", address(i));
            } catch (UnauthenticatedException e) {
                failures++;
            } catch (RateLimitedException e) {
                app.clock.advance(e.retryAfter());
            }
        }
        assertEquals(ACCOUNT_LOCKOUT_AFTER, failures);
        assertThrows(RateLimitedException.class, () -> signIn("alice@example.com", PASSWORD, HOME));

        app.passwordReset.requestReset(new RequestResetCommand("alice@example.com", HOME));
        app.deliverMail();
        String url = app.mailer.sent().stream().filter(PasswordResetMail.class::isInstance)
                .map(m -> ((PasswordResetMail) m).resetUrl()).reduce((a, b) -> b).orElseThrow();
        app.passwordReset.confirmReset(new ConfirmResetCommand(url.substring(url.indexOf("token=") + 6),
                "a brand new passphrase", HOME));

        signIn("alice@example.com", "a brand new passphrase", HOME);
        fail("alice@example.com", address(1));
    }

    @Test
    public void strangers_who_spend_an_emails_reset_requests_do_not_keep_its_owner_from_their_usual_address() {
        app.signUp("Alice");
        signIn("alice@example.com", PASSWORD, HOME);
        for (int i = 0; i < RESETS_PER_EMAIL; i++) {
            app.passwordReset.requestReset(new RequestResetCommand("alice@example.com", address(i)));
        }
        assertThrows(RateLimitedException.class,
                () -> app.passwordReset.requestReset(new RequestResetCommand("alice@example.com", address(99))));

        app.passwordReset.requestReset(new RequestResetCommand("alice@example.com", HOME));
        app.emailSignIn.requestSignInMail(new RequestSignInMailCommand("alice@example.com", HOME));
    }

    @Test
    public void one_address_failing_on_many_accounts_is_limited_but_users_who_signed_in_there_before_are_not() {
        app.signUp("Alice");
        signIn("alice@example.com", PASSWORD, HOME);
        for (int i = 0; i < FAILURES_PER_ADDRESS; i++) fail("user" + i + "@example.com", HOME);
        assertThrows(RateLimitedException.class, () -> signIn("someone.else@example.com", PASSWORD, HOME));
        signIn("alice@example.com", PASSWORD, HOME);
    }

    @Test
    public void addresses_of_one_ipv6_64_share_their_limit_and_other_64s_do_not() {
        for (int i = 0; i < FAILURES_PER_ADDRESS; i++) fail("user" + i + "@example.com", "2001:db8:1:2::" + Integer.toHexString(i + 1));
        assertThrows(RateLimitedException.class, () -> signIn("user@example.com", PASSWORD, "2001:db8:1:2:ffff::1"));
        assertThrows(UnauthenticatedException.class, () -> signIn("user@example.com", PASSWORD, "2001:db8:1:3::1"));
    }

    @Test
    public void a_refused_attempt_counts_for_nothing() {
        app.signUp("Alice");
        for (int i = 0; i < ATTEMPTS_PER_ACCOUNT_AND_ADDRESS; i++) fail("alice@example.com", HOME);
        for (int i = 0; i < 100; i++) {
            assertThrows(RateLimitedException.class, () -> signIn("alice@example.com", PASSWORD, HOME));
        }
        app.clock.advance(ACCOUNT_AND_ADDRESS_INTERVAL);
        signIn("alice@example.com", PASSWORD, HOME);
    }

    @Test
    public void sign_ups_are_limited_per_address_whatever_their_outcome() {
        app.signUp("Alice");
        for (int i = 0; i < SIGN_UPS_PER_ADDRESS; i++) {
            assertThrows(ConflictException.class, () -> app.accounts.signUp(
                    new SignUpCommand("alice@example.com", PASSWORD, "Alice", "JUnit", HOME)));
        }
        var limited = assertThrows(RateLimitedException.class, () -> app.accounts.signUp(
                new SignUpCommand("bob@example.com", PASSWORD, "Bob", "JUnit", HOME)));
        assertEquals(SIGN_UP_INTERVAL, limited.retryAfter());
        app.accounts.signUp(new SignUpCommand("bob@example.com", PASSWORD, "Bob", "JUnit", "192.0.2.1"));
        app.clock.advance(SIGN_UP_INTERVAL);
        app.accounts.signUp(new SignUpCommand("carol@example.com", PASSWORD, "Carol", "JUnit", HOME));
    }

    @Test
    public void entries_are_deleted_once_they_count_for_nothing() {
        app.signUp("Alice");
        signIn("alice@example.com", PASSWORD, HOME);
        for (int i = 0; i < 20; i++) fail("user" + i + "@example.com", address(i));
        fail("user@example.com", "2001:db8:1:2::1");
        assertTrue(storedEntries() > 60, "entries: " + storedEntries());

        app.clock.advance(KNOWN_ADDRESS_MEMORY); // the longest any entry matters
        app.accounts.signUp(new SignUpCommand("bob@example.com", PASSWORD, "Bob", "JUnit", "192.0.2.1"));
        assertEquals(1, storedEntries(), "only Bob's sign-up counts now");
    }

    @Test
    public void attempts_left_without_an_outcome_stop_counting_after_a_while() {
        Email alice = new Email("alice@example.com");
        // what a process that died while checking passwords leaves behind: attempts under way, forever
        for (int i = 0; i < ACCOUNT_FAILURES_BEFORE_DELAY; i++) app.throttle.reserveSignIn(alice, address(i));
        assertThrows(RateLimitedException.class, () -> app.throttle.reserveSignIn(alice, address(100)));

        app.clock.advance(PENDING_MEMORY);
        for (int i = 0; i < ACCOUNT_FAILURES_BEFORE_DELAY; i++) app.throttle.reserveSignIn(alice, address(200 + i));
        assertThrows(RateLimitedException.class, () -> app.throttle.reserveSignIn(alice, address(300)),
                "the new attempts under way count, the old ones no more");
    }

    @Test
    public void a_flood_of_new_accounts_does_not_reset_an_account_under_backoff() {
        app.signUp("Alice");
        for (int i = 0; i < ACCOUNT_FAILURES_BEFORE_DELAY + 5; i++) {
            if (i > 0) app.clock.advance(Duration.ofSeconds(40)); // past each delay so far (at most 32 s)
            fail("alice@example.com", address(i));
        }
        for (int i = 0; i < FLOOD; i++) fail("user" + i + "@example.com", ipv6In48(i) + ":1::" + Integer.toHexString(i % 65536 + 1));
        var limited = assertThrows(RateLimitedException.class, () -> signIn("alice@example.com", PASSWORD, "192.0.2.200"));
        assertTrue(limited.retryAfter().compareTo(Duration.ofSeconds(1)) > 0, limited.retryAfter().toString());
    }

    @Test
    public void the_64s_of_one_ipv6_56_and_of_one_48_share_looser_limits_so_a_prefix_is_not_thousands_of_addresses() {
        int per56 = IPV6_56_FACTOR * FAILURES_PER_ADDRESS;
        for (int i = 0; i < per56; i++) fail("user" + i + "@example.com", "2001:db8:1:" + Integer.toHexString(i) + "::1");
        assertThrows(RateLimitedException.class, () -> signIn("user@example.com", PASSWORD, "2001:db8:1:ff::1"),
                "a fresh /64 of the same /56");
        fail("user@example.com", "2001:db8:1:100::1"); // another /56 of that /48

        // 32 /56s of one /48, each far below its own limit, 25 /64s each
        int per48 = IPV6_48_FACTOR * FAILURES_PER_ADDRESS;
        for (int i = 0; i < per48; i++) {
            fail("user" + i + "@example.com", "2001:db8:2:" + Integer.toHexString((i % 32) << 8 | i / 32) + "::1");
        }
        assertThrows(RateLimitedException.class, () -> signIn("user@example.com", PASSWORD, "2001:db8:2:ff00::1"),
                "a fresh /56 of the same /48");
        fail("user@example.com", "2001:db8:3::1"); // another /48
    }

    @Test
    public void sign_ups_from_the_64s_of_one_ipv6_56_and_of_one_48_share_looser_limits() {
        int per56 = IPV6_56_FACTOR * SIGN_UPS_PER_ADDRESS;
        for (int i = 0; i < per56; i++) {
            app.accounts.signUp(new SignUpCommand("a" + i + "@example.com", PASSWORD, "A", "JUnit",
                    "2001:db8:1:" + Integer.toHexString(i) + "::1"));
        }
        assertThrows(RateLimitedException.class, () -> app.accounts.signUp(
                new SignUpCommand("late@example.com", PASSWORD, "L", "JUnit", "2001:db8:1:ff::1")));
        app.accounts.signUp(new SignUpCommand("late@example.com", PASSWORD, "L", "JUnit", "2001:db8:1:100::1"));

        int per48 = IPV6_48_FACTOR * SIGN_UPS_PER_ADDRESS;
        for (int i = 0; i < per48; i++) {
            app.accounts.signUp(new SignUpCommand("b" + i + "@example.com", PASSWORD, "B", "JUnit",
                    "2001:db8:2:" + Integer.toHexString((i % 32) << 8 | i / 32) + "::1"));
        }
        assertThrows(RateLimitedException.class, () -> app.accounts.signUp(
                new SignUpCommand("later@example.com", PASSWORD, "L", "JUnit", "2001:db8:2:ff00::1")));
        app.accounts.signUp(new SignUpCommand("later@example.com", PASSWORD, "L", "JUnit", "2001:db8:3::1"));
    }

    @Test
    public void an_attackers_own_account_signing_in_from_many_addresses_does_not_make_the_owner_a_stranger_at_home() {
        app.signUp("Alice");
        app.signUp("Mallory");
        signIn("alice@example.com", PASSWORD, HOME);
        // what the service does on each of Mallory's correct passwords
        for (int i = 0; i < FLOOD; i++) {
            app.throttle.reserveSignIn(new Email("mallory@example.com"), otherAddress(i)).succeeded();
        }
        for (int i = 0; i < ACCOUNT_FAILURES_BEFORE_DELAY + 2; i++) {
            if (i > 0) app.clock.advance(Duration.ofSeconds(5)); // past each delay so far (at most 2 s)
            fail("alice@example.com", address(i));
        }
        assertThrows(RateLimitedException.class, () -> signIn("alice@example.com", PASSWORD, "192.0.2.77"),
                "a new address waits");
        signIn("alice@example.com", PASSWORD, HOME);
    }

    @Test
    public void a_flood_of_throwaway_accounts_under_backoff_does_not_reset_an_account_with_more_failures() {
        app.signUp("Alice");
        for (int i = 0; i < ACCOUNT_FAILURES_BEFORE_DELAY + 5; i++) {
            if (i > 0) app.clock.advance(Duration.ofSeconds(40)); // past each delay so far (at most 32 s)
            fail("alice@example.com", address(i));
        }
        // each throwaway email just enough failures to be under backoff itself, from addresses it uses 5 times
        for (int j = 0; j < FLOOD / 3; j++) {
            for (int a = 0; a < ACCOUNT_FAILURES_BEFORE_DELAY; a++) {
                fail("throwaway" + j + "@example.com", otherAddress(2 * j + a / ATTEMPTS_PER_ACCOUNT_AND_ADDRESS));
            }
        }
        var limited = assertThrows(RateLimitedException.class, () -> signIn("alice@example.com", PASSWORD, "192.0.2.200"));
        assertTrue(limited.retryAfter().compareTo(Duration.ofSeconds(1)) > 0, limited.retryAfter().toString());
    }

    @Test
    public void an_account_remembers_only_its_most_recent_addresses() {
        app.signUp("Alice");
        int kept = KNOWN_ADDRESSES_PER_ACCOUNT;
        for (int a = 0; a <= kept; a++) signIn("alice@example.com", PASSWORD, otherAddress(a)); // the first is now the oldest of six
        for (int i = 0; i < ACCOUNT_FAILURES_BEFORE_DELAY + 2; i++) {
            if (i > 0) app.clock.advance(Duration.ofSeconds(5));
            fail("alice@example.com", address(i));
        }
        assertThrows(RateLimitedException.class, () -> signIn("alice@example.com", PASSWORD, otherAddress(0)), "forgotten");
        for (int a = 1; a <= kept; a++) signIn("alice@example.com", PASSWORD, otherAddress(a));
    }
}
