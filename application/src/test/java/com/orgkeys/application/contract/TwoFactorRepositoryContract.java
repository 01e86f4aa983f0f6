package com.orgkeys.application.contract;

import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.twofactor.TotpFactor;
import com.orgkeys.domain.twofactor.TotpFactor.EncryptedSecret;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public abstract class TwoFactorRepositoryContract extends RepositoryContract {
    private static final Instant LATER = at(Duration.ofMinutes(1));

    private static EncryptedSecret secret(int version, int fill) {
        byte[] bytes = new byte[48];
        java.util.Arrays.fill(bytes, (byte) fill);
        return new EncryptedSecret(version, bytes);
    }

    private TotpFactor pending(User user, EncryptedSecret secret) {
        TotpFactor factor = TotpFactor.pending(user.id(), secret, T0);
        assertTrue(repositories.twoFactors().savePendingTotp(factor));
        return factor;
    }

    @Test
    public void a_pending_factor_is_stored_replaced_and_confirmed_once() {
        User alice = given.user("Alice");
        assertEquals(Optional.empty(), repositories.twoFactors().findTotp(alice.id()));
        pending(alice, secret(1, 1));
        TotpFactor second = pending(alice, secret(2, 2)); // starting again replaces the pending one

        TotpFactor found = repositories.twoFactors().findTotp(alice.id()).orElseThrow();
        assertEquals(2, found.secret().keyVersion());
        assertArrayEquals(second.secret().ciphertext(), found.secret().ciphertext());
        assertFalse(found.enabled());
        assertFalse(repositories.twoFactors().confirmTotp(alice.id(), secret(1, 1), 100, LATER), "the replaced secret");
        assertTrue(repositories.twoFactors().confirmTotp(alice.id(), secret(2, 2), 100, LATER));
        assertFalse(repositories.twoFactors().confirmTotp(alice.id(), secret(2, 2), 101, LATER), "confirmed already");

        TotpFactor enabled = repositories.twoFactors().findTotp(alice.id()).orElseThrow();
        assertEquals(Optional.of(LATER), enabled.confirmedAt());
        assertEquals(OptionalLong.of(100), enabled.lastUsedStep());
        assertFalse(repositories.twoFactors().savePendingTotp(TotpFactor.pending(alice.id(), secret(3, 3), LATER)),
                "a confirmed factor is not replaced");
        assertEquals(2, repositories.twoFactors().findTotp(alice.id()).orElseThrow().secret().keyVersion());
    }

    @Test
    public void a_step_is_accepted_only_after_the_last_one() {
        User alice = given.user("Alice");
        pending(alice, secret(1, 1));
        assertFalse(repositories.twoFactors().useTotpStep(alice.id(), 100), "not confirmed yet");
        repositories.twoFactors().confirmTotp(alice.id(), secret(1, 1), 100, LATER);

        assertFalse(repositories.twoFactors().useTotpStep(alice.id(), 100), "the confirming code's step");
        assertFalse(repositories.twoFactors().useTotpStep(alice.id(), 99));
        assertTrue(repositories.twoFactors().useTotpStep(alice.id(), 101));
        assertFalse(repositories.twoFactors().useTotpStep(alice.id(), 101), "replay");
        assertEquals(OptionalLong.of(101), repositories.twoFactors().findTotp(alice.id()).orElseThrow().lastUsedStep());
        assertFalse(repositories.twoFactors().useTotpStep(new UserId(java.util.UUID.randomUUID()), 500));
    }

    @Test
    public void of_concurrent_uses_of_one_step_exactly_one_wins() throws Exception {
        User alice = given.user("Alice");
        pending(alice, secret(1, 1));
        repositories.twoFactors().confirmTotp(alice.id(), secret(1, 1), 100, LATER);
        for (long step = 101; step < 104; step++) {
            long s = step;
            List<Boolean> won = concurrently(() -> repositories.twoFactors().useTotpStep(alice.id(), s));
            assertEquals(1, won.stream().filter(w -> w).count(), won.toString());
        }
    }

    @Test
    public void recovery_codes_are_replaced_whole_and_each_works_once() throws Exception {
        User alice = given.user("Alice");
        User bob = given.user("Bob");
        repositories.twoFactors().replaceRecoveryCodes(alice.id(), List.of("a1", "a2", "a3"), T0);
        repositories.twoFactors().replaceRecoveryCodes(bob.id(), List.of("b1"), T0);
        assertEquals(3, repositories.twoFactors().recoveryCodesLeft(alice.id()));

        assertTrue(repositories.twoFactors().useRecoveryCode(alice.id(), "a1", LATER));
        assertFalse(repositories.twoFactors().useRecoveryCode(alice.id(), "a1", LATER), "used");
        assertFalse(repositories.twoFactors().useRecoveryCode(alice.id(), "b1", LATER), "Bob's");
        assertEquals(2, repositories.twoFactors().recoveryCodesLeft(alice.id()));
        List<Boolean> won = concurrently(() -> repositories.twoFactors().useRecoveryCode(alice.id(), "a2", LATER));
        assertEquals(1, won.stream().filter(w -> w).count(), won.toString());

        repositories.twoFactors().replaceRecoveryCodes(alice.id(), List.of("n1", "n2"), LATER);
        assertFalse(repositories.twoFactors().useRecoveryCode(alice.id(), "a3", LATER), "the old ones are gone");
        assertEquals(2, repositories.twoFactors().recoveryCodesLeft(alice.id()));
        assertEquals(1, repositories.twoFactors().recoveryCodesLeft(bob.id()));
    }

    @Test
    public void deleting_the_factor_keeps_the_codes_and_deleting_the_codes_keeps_the_factor_of_that_user_only() {
        User alice = given.user("Alice");
        User bob = given.user("Bob");
        pending(alice, secret(1, 1));
        pending(bob, secret(1, 2));
        repositories.twoFactors().replaceRecoveryCodes(alice.id(), List.of("a1"), T0);
        repositories.twoFactors().replaceRecoveryCodes(bob.id(), List.of("b1"), T0);

        assertTrue(repositories.twoFactors().deleteTotp(alice.id()));
        assertFalse(repositories.twoFactors().deleteTotp(alice.id()));
        assertEquals(Optional.empty(), repositories.twoFactors().findTotp(alice.id()));
        // codes stay while passkeys may still guard the account
        assertEquals(1, repositories.twoFactors().recoveryCodesLeft(alice.id()));
        repositories.twoFactors().deleteRecoveryCodes(alice.id());
        assertEquals(0, repositories.twoFactors().recoveryCodesLeft(alice.id()));
        assertTrue(repositories.twoFactors().findTotp(bob.id()).isPresent());
        assertEquals(1, repositories.twoFactors().recoveryCodesLeft(bob.id()));
    }

    private static <T> List<T> concurrently(Supplier<T> work) throws Exception {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.get();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get());
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
