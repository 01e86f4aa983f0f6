package com.orgkeys.application.contract;

import com.orgkeys.application.passkey.port.out.PasskeyRepository;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.accounttoken.AccountTokenId;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.passkey.PasskeyCeremony;
import com.orgkeys.domain.passkey.PasskeyCeremony.Purpose;
import com.orgkeys.domain.passkey.PasskeyId;
import com.orgkeys.domain.passkey.PasskeyName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public abstract class PasskeyRepositoryContract extends RepositoryContract {
    private static final Instant LATER = at(Duration.ofMinutes(1));

    private PasskeyRepository passkeys() {
        return repositories.passkeys();
    }

    private static String base64url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes());
    }

    private Passkey stored(User user, String credential, String name, Instant at) {
        Passkey passkey = Passkey.register(user.id(), base64url(credential), base64url("cose of " + credential), 0,
                new PasskeyName(name), at);
        assertTrue(passkeys().insert(passkey));
        return passkey;
    }

    @Test
    public void passkeys_are_stored_listed_oldest_first_and_found_by_credential_id() {
        User alice = given.user("Alice");
        User bob = given.user("Bob");
        Passkey phone = stored(alice, "phone", "phone", LATER);
        Passkey laptop = stored(alice, "laptop", "laptop", T0);
        stored(bob, "bobs", "key", T0);

        assertEquals(List.of(laptop, phone), passkeys().listFor(alice.id()));
        assertEquals(Optional.of(phone), passkeys().findByCredentialId(phone.credentialId()));
        assertEquals(Optional.empty(), passkeys().findByCredentialId(base64url("unknown")));
        assertEquals(Optional.empty(), passkeys().findByCredentialId("not base64url!"));
    }

    @Test
    public void a_credential_id_is_registered_once_whoever_registers_it() {
        User alice = given.user("Alice");
        User bob = given.user("Bob");
        Passkey first = stored(alice, "shared", "mine", T0);
        assertFalse(passkeys().insert(Passkey.register(bob.id(), first.credentialId(), first.publicKeyCose(), 0,
                new PasskeyName("stolen"), LATER)));
        assertEquals(List.of(), passkeys().listFor(bob.id()));
    }

    @Test
    public void only_the_owner_renames_or_removes_a_passkey() {
        User alice = given.user("Alice");
        User bob = given.user("Bob");
        Passkey key = stored(alice, "key", "old name", T0);

        assertFalse(passkeys().rename(bob.id(), key.id(), new PasskeyName("taken over")));
        assertEquals(Optional.empty(), passkeys().delete(bob.id(), key.id()));
        assertFalse(passkeys().rename(alice.id(), PasskeyId.random(), new PasskeyName("x")));

        assertTrue(passkeys().rename(alice.id(), key.id(), new PasskeyName("new name")));
        assertEquals("new name", passkeys().listFor(alice.id()).getFirst().name().value());
        assertEquals(key.id(), passkeys().delete(alice.id(), key.id()).orElseThrow().id());
        assertEquals(List.of(), passkeys().listFor(alice.id()));
        assertEquals(Optional.empty(), passkeys().delete(alice.id(), key.id()));
    }

    @Test
    public void a_passkey_is_a_second_factor() {
        User alice = given.user("Alice");
        assertFalse(repositories.twoFactors().factors(alice.id()).any());
        stored(alice, "key", "key", T0);
        assertTrue(repositories.twoFactors().factors(alice.id()).passkey());
        assertFalse(repositories.twoFactors().factors(alice.id()).authenticatorApp());
    }

    @Test
    public void a_use_is_recorded_only_over_the_counter_it_was_checked_against() {
        User alice = given.user("Alice");
        Passkey key = stored(alice, "key", "key", T0);
        assertTrue(passkeys().recordUse(key.id(), 0, 5, LATER));
        assertFalse(passkeys().recordUse(key.id(), 0, 6, LATER), "another use came first");
        Passkey used = passkeys().listFor(alice.id()).getFirst();
        assertEquals(5, used.signatureCount());
        assertEquals(Optional.of(LATER), used.lastUsedAt());
    }

    @Test
    public void of_parallel_uses_checked_against_one_counter_one_is_recorded() throws Exception {
        User alice = given.user("Alice");
        Passkey key = stored(alice, "key", "key", T0);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                long counter = i + 1;
                results.add(pool.submit(() -> {
                    start.await();
                    return passkeys().recordUse(key.id(), 0, counter, LATER);
                }));
            }
            start.countDown();
            int recorded = 0;
            for (Future<Boolean> result : results) if (result.get()) recorded++;
            assertEquals(1, recorded);
        }
    }

    @Test
    public void a_ceremony_is_taken_once_for_its_purpose_before_it_expires() {
        User alice = given.user("Alice");
        PasskeyCeremony registration = PasskeyCeremony.registration(alice.id(), "{\"challenge\":\"c1\"}", T0);
        PasskeyCeremony signIn = PasskeyCeremony.signIn("{\"challenge\":\"c2\"}", T0);
        PasskeyCeremony second = PasskeyCeremony.secondFactor(alice.id(), AccountTokenId.random(), "{}", T0);
        passkeys().saveCeremony(registration, T0);
        passkeys().saveCeremony(signIn, T0);
        passkeys().saveCeremony(second, T0);

        assertEquals(Optional.empty(), passkeys().takeCeremony(registration.id(), Purpose.SIGN_IN, LATER));
        assertEquals(Optional.of(registration), passkeys().takeCeremony(registration.id(), Purpose.REGISTRATION, LATER));
        assertEquals(Optional.empty(), passkeys().takeCeremony(registration.id(), Purpose.REGISTRATION, LATER), "used");
        assertEquals(Optional.of(second), passkeys().takeCeremony(second.id(), Purpose.SECOND_FACTOR, LATER));
        assertEquals(Optional.empty(), passkeys().takeCeremony(UUID.randomUUID(), Purpose.SIGN_IN, LATER));

        Instant expired = signIn.expiresAt();
        assertEquals(Optional.empty(), passkeys().takeCeremony(signIn.id(), Purpose.SIGN_IN, expired));
    }

    @Test
    public void a_second_factor_ceremony_replaces_the_earlier_ones_of_its_sign_in_only() {
        User alice = given.user("Alice");
        AccountTokenId pending = AccountTokenId.random();
        PasskeyCeremony first = PasskeyCeremony.secondFactor(alice.id(), pending, "{}", T0);
        PasskeyCeremony other = PasskeyCeremony.secondFactor(alice.id(), AccountTokenId.random(), "{}", T0);
        PasskeyCeremony signIn = PasskeyCeremony.signIn("{}", T0);
        passkeys().saveCeremony(first, T0);
        passkeys().saveCeremony(other, T0);
        passkeys().saveCeremony(signIn, T0);
        PasskeyCeremony second = PasskeyCeremony.secondFactor(alice.id(), pending, "{}", T0);
        passkeys().saveCeremony(second, T0);

        assertEquals(Optional.empty(), passkeys().takeCeremony(first.id(), Purpose.SECOND_FACTOR, T0), "replaced");
        assertEquals(Optional.of(second), passkeys().takeCeremony(second.id(), Purpose.SECOND_FACTOR, T0));
        assertEquals(Optional.of(other), passkeys().takeCeremony(other.id(), Purpose.SECOND_FACTOR, T0));
        assertEquals(Optional.of(signIn), passkeys().takeCeremony(signIn.id(), Purpose.SIGN_IN, T0));
    }

    @Test
    public void expired_ceremonies_are_forgotten_when_new_ones_come() {
        PasskeyCeremony old = PasskeyCeremony.signIn("{}", T0);
        passkeys().saveCeremony(old, T0);
        Instant muchLater = old.expiresAt().plus(Duration.ofMinutes(1));
        passkeys().saveCeremony(PasskeyCeremony.signIn("{}", muchLater), muchLater);
        // taken at a time it would still be valid: it is gone all the same
        assertEquals(Optional.empty(), passkeys().takeCeremony(old.id(), Purpose.SIGN_IN, T0));
    }
}
