package com.orgkeys.application.contract;

import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static com.orgkeys.domain.accounttoken.AccountTokenPurpose.EMAIL_VERIFICATION;
import static com.orgkeys.domain.accounttoken.AccountTokenPurpose.PASSWORD_RESET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public abstract class AccountTokenRepositoryContract extends RepositoryContract {
    private static final int THREADS = 8;
    private static final Instant EARLIER = T0.minus(Duration.ofHours(1));

    private AccountToken token(User user, AccountTokenPurpose purpose, Optional<String> codeHash, Instant createdAt) {
        AccountToken token = AccountToken.issue(user.id(), purpose, "hash-" + UUID.randomUUID(), codeHash,
                user.email(), createdAt);
        repositories.accountTokens().insert(token);
        return token;
    }

    private AccountToken token(User user, AccountTokenPurpose purpose) {
        return token(user, purpose, Optional.empty(), T0);
    }

    @Test
    public void a_token_is_usable_only_for_its_purpose_until_it_expires() {
        User alice = given.user("Alice");
        AccountToken reset = token(alice, PASSWORD_RESET);

        assertEquals(Optional.of(reset), repositories.accountTokens().findUsable(PASSWORD_RESET, reset.tokenHash(), T0));
        assertEquals(Optional.empty(), repositories.accountTokens().findUsable(EMAIL_VERIFICATION, reset.tokenHash(), T0));
        assertEquals(Optional.empty(), repositories.accountTokens().findUsable(PASSWORD_RESET, "hash-other", T0));
        assertEquals(Optional.empty(), repositories.accountTokens().findUsable(PASSWORD_RESET, reset.tokenHash(),
                reset.expiresAt()));
        assertEquals(Optional.empty(), repositories.accountTokens().consume(PASSWORD_RESET, reset.tokenHash(),
                reset.expiresAt()));
    }

    @Test
    public void a_token_is_consumed_once() {
        User alice = given.user("Alice");
        AccountToken reset = token(alice, PASSWORD_RESET);
        Instant now = at(Duration.ofMinutes(5));

        assertEquals(Optional.of(reset.usedAt(now)),
                repositories.accountTokens().consume(PASSWORD_RESET, reset.tokenHash(), now));
        assertEquals(Optional.empty(), repositories.accountTokens().consume(PASSWORD_RESET, reset.tokenHash(), now));
        assertEquals(Optional.empty(), repositories.accountTokens().findUsable(PASSWORD_RESET, reset.tokenHash(), now));
        assertFalse(repositories.accountTokens().consume(reset.id(), now));
    }

    @Test
    public void of_concurrent_consumptions_of_one_token_exactly_one_wins() throws Exception {
        User alice = given.user("Alice");
        for (int round = 0; round < 5; round++) {
            AccountToken reset = token(alice, PASSWORD_RESET);
            List<Boolean> won = concurrently(() ->
                    repositories.accountTokens().consume(PASSWORD_RESET, reset.tokenHash(), T0).isPresent());
            assertEquals(1, won.stream().filter(w -> w).count(), "round " + round + ": " + won);
        }
    }

    @Test
    public void code_guesses_are_counted_up_to_the_limit_even_in_parallel() throws Exception {
        User alice = given.user("Alice");
        AccountToken verification = token(alice, EMAIL_VERIFICATION, Optional.of("code-hash"), T0);

        List<Boolean> reserved = concurrently(() -> repositories.accountTokens()
                .reserveCodeAttempt(alice.id(), EMAIL_VERIFICATION, 5, EARLIER, T0).isPresent());

        assertEquals(5, reserved.stream().filter(r -> r).count(), reserved.toString());
        assertEquals(Optional.empty(), repositories.accountTokens().reserveCodeAttempt(alice.id(), EMAIL_VERIFICATION, 5, EARLIER, T0));
        assertEquals(5, repositories.accountTokens().findUsable(EMAIL_VERIFICATION, verification.tokenHash(), T0)
                .orElseThrow().attempts());
    }

    @Test
    public void guesses_at_one_token_are_counted_atomically_up_to_the_limit() throws Exception {
        User alice = given.user("Alice");
        AccountToken pending = token(alice, AccountTokenPurpose.SECOND_FACTOR);
        AccountToken other = token(alice, PASSWORD_RESET);

        List<Boolean> reserved = concurrently(() ->
                repositories.accountTokens().reserveAttempt(pending.id(), 5, T0).isPresent());

        assertEquals(5, reserved.stream().filter(r -> r).count(), reserved.toString());
        assertEquals(Optional.empty(), repositories.accountTokens().reserveAttempt(pending.id(), 5, T0));
        assertEquals(1, repositories.accountTokens().reserveAttempt(other.id(), 5, T0).orElseThrow().attempts(),
                "another token's guesses are its own");
        assertTrue(repositories.accountTokens().consume(other.id(), T0));
        assertEquals(Optional.empty(), repositories.accountTokens().reserveAttempt(other.id(), 5, T0), "used");
        AccountToken expired = token(alice, AccountTokenPurpose.SECOND_FACTOR);
        assertEquals(Optional.empty(), repositories.accountTokens().reserveAttempt(expired.id(), 5, expired.expiresAt()));
    }

    @Test
    public void code_guesses_go_to_the_newest_usable_token_with_a_code() {
        User alice = given.user("Alice");
        token(alice, EMAIL_VERIFICATION, Optional.of("old-code"), T0);
        AccountToken newest = token(alice, EMAIL_VERIFICATION, Optional.of("new-code"), at(Duration.ofMinutes(1)));
        token(alice, EMAIL_VERIFICATION, Optional.empty(), at(Duration.ofMinutes(2))); // no code: never guessed at
        Instant now = at(Duration.ofMinutes(3));

        AccountToken counted = repositories.accountTokens().reserveCodeAttempt(alice.id(), EMAIL_VERIFICATION, 5, EARLIER, now)
                .orElseThrow();
        assertEquals(newest.id(), counted.id());
        assertEquals(1, counted.attempts());
        assertTrue(repositories.accountTokens().consume(newest.id(), now));
        assertEquals("old-code", repositories.accountTokens()
                .reserveCodeAttempt(alice.id(), EMAIL_VERIFICATION, 5, EARLIER, now).orElseThrow().codeHash().orElseThrow());
        assertEquals(Optional.empty(), repositories.accountTokens().reserveCodeAttempt(given.user("Bob").id(),
                EMAIL_VERIFICATION, 5, EARLIER, now));
        assertEquals(Optional.empty(), repositories.accountTokens().reserveCodeAttempt(alice.id(), EMAIL_VERIFICATION,
                5, at(Duration.ofMinutes(1)), now)); // the old code was issued too long ago
    }

    @Test
    public void invalidating_marks_every_usable_token_of_the_user_and_purpose_used() {
        User alice = given.user("Alice");
        User bob = given.user("Bob");
        AccountToken first = token(alice, PASSWORD_RESET);
        AccountToken second = token(alice, PASSWORD_RESET);
        AccountToken verification = token(alice, EMAIL_VERIFICATION);
        AccountToken bobs = token(bob, PASSWORD_RESET);

        assertEquals(2, repositories.accountTokens().invalidate(alice.id(), PASSWORD_RESET, T0));

        assertEquals(Optional.empty(), repositories.accountTokens().findUsable(PASSWORD_RESET, first.tokenHash(), T0));
        assertEquals(Optional.empty(), repositories.accountTokens().findUsable(PASSWORD_RESET, second.tokenHash(), T0));
        assertTrue(repositories.accountTokens().findUsable(EMAIL_VERIFICATION, verification.tokenHash(), T0).isPresent());
        assertTrue(repositories.accountTokens().findUsable(PASSWORD_RESET, bobs.tokenHash(), T0).isPresent());
    }

    @Test
    public void retention_deletes_tokens_used_or_expired_before_the_cutoff() {
        User alice = given.user("Alice");
        AccountToken used = token(alice, PASSWORD_RESET);
        repositories.accountTokens().consume(used.id(), at(Duration.ofMinutes(1)));
        AccountToken expired = token(alice, PASSWORD_RESET);
        AccountToken fresh = token(alice, PASSWORD_RESET, Optional.empty(), at(Duration.ofHours(2)));
        Instant cutoff = at(Duration.ofHours(1));

        assertEquals(1, repositories.accountTokens().deleteEndedBefore(cutoff, 1));
        assertEquals(1, repositories.accountTokens().deleteEndedBefore(cutoff, 10));
        assertEquals(0, repositories.accountTokens().deleteEndedBefore(cutoff, 10));
        assertTrue(repositories.accountTokens().findUsable(PASSWORD_RESET, fresh.tokenHash(), cutoff).isPresent());
        assertFalse(repositories.accountTokens().consume(expired.id(), T0)); // gone
    }

    @Test
    public void a_password_hash_or_name_is_replaced_an_email_verified_and_sessions_of_the_user_revoked() {
        User alice = given.user("Alice");
        User bob = given.user("Bob");
        given.session(alice, T0, T0);
        given.session(alice, T0, T0);
        Session bobs = given.session(bob, T0, T0);
        Instant now = at(Duration.ofMinutes(1));

        assertTrue(repositories.users().updatePasswordHash(alice.id(), "new-hash"));
        assertEquals("new-hash", repositories.users().findById(alice.id()).orElseThrow().passwordHash());
        assertTrue(repositories.users().updateName(alice.id(), "Ada"));
        assertEquals("Ada", repositories.users().findById(alice.id()).orElseThrow().name());
        assertFalse(repositories.users().updatePasswordHash(com.orgkeys.domain.account.UserId.random(), "x"));
        assertFalse(repositories.users().findById(alice.id()).orElseThrow().emailVerified());
        assertFalse(repositories.users().markEmailVerified(alice.id(), bob.email(), now)); // not her address
        assertTrue(repositories.users().markEmailVerified(alice.id(), alice.email(), now));
        assertFalse(repositories.users().markEmailVerified(alice.id(), alice.email(), now)); // once
        assertEquals(Optional.of(now), repositories.users().findById(alice.id()).orElseThrow().emailVerifiedAt());
        Session kept = given.session(alice, T0, T0);
        List<Session> revoked = repositories.sessions().revokeOthers(alice.id(), kept.id(), now);
        assertEquals(2, revoked.size());
        revoked.forEach(s -> assertEquals(Optional.of(now), s.revokedAt(), "returned as revoked"));
        assertFalse(revoked.stream().anyMatch(s -> s.id().equals(kept.id())));
        assertEquals(List.of(kept.id()), repositories.sessions().listActive(alice.id(), now).stream().map(Session::id).toList());
        assertEquals(List.of(kept.id()), repositories.sessions().revokeAll(alice.id(), now).stream().map(Session::id).toList());
        assertEquals(List.of(), repositories.sessions().revokeAll(alice.id(), now));
        assertEquals(List.of(), repositories.sessions().listActive(alice.id(), now));
        assertEquals(List.of(bobs.id()), repositories.sessions().listActive(bob.id(), now).stream().map(Session::id).toList());
    }

    /** {@code work} on {@link #THREADS} threads released at once; their answers. */
    private static <T> List<T> concurrently(Supplier<T> work) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.get();
                }));
            }
            start.countDown();
            List<T> answers = new ArrayList<>();
            for (Future<T> future : futures) answers.add(future.get());
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
