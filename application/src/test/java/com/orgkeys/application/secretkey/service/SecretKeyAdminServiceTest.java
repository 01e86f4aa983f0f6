package com.orgkeys.application.secretkey.service;

import com.orgkeys.application.account.service.SharedAccountThrottle;
import com.orgkeys.application.testing.FakePasswordHasher;
import com.orgkeys.application.testing.InMemoryAccountThrottleStore;
import com.orgkeys.application.testing.InMemorySecretKeyRepository;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import com.orgkeys.application.testing.InMemoryUserRepository;
import com.orgkeys.application.testing.MutableClock;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.Password;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.secretkey.InstanceAdmins;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretKeyAdminServiceTest {
    static final String PASSWORD = "a long admin passphrase";
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemoryStore store = new InMemoryStore();
    final InMemoryUserRepository users = new InMemoryUserRepository(store);
    final InMemorySecretKeyRepository repository = new InMemorySecretKeyRepository();
    final SecretKeyService keys = new SecretKeyService(repository, new InMemoryTransactionRunner(store), clock);
    final FakePasswordHasher hasher = new FakePasswordHasher();
    final SecretKeyAdminService admin = new SecretKeyAdminService(
            new InstanceAdmins(Set.of(new Email("Ops@Example.com"))), users, keys,
            new SharedAccountThrottle(new InMemoryAccountThrottleStore(), clock), hasher);

    UserCaller user(String email, boolean verified) {
        User user = new User(UserId.random(), new Email(email), "Someone", hasher.hash(Password.choose(PASSWORD)),
                clock.instant(), verified ? Optional.of(clock.instant()) : Optional.empty());
        users.insert(user);
        return new UserCaller(user.id(), SessionId.random(), Optional.empty(), Optional.empty(), Set.of(), "203.0.113.9", false);
    }

    @Test
    void a_listed_verified_address_creates_lists_and_revokes_keys_as_that_user() {
        UserCaller ops = user("ops@example.com", true);
        var created = admin.create(ops, "billing backend", PASSWORD);
        assertTrue(created.secret().startsWith("sk_orgkeys_"));
        assertEquals("user:" + ops.userId(), created.key().createdBy());
        assertEquals(Optional.of(created.key().id()), keys.authenticate(created.secret()));
        assertEquals(1, admin.list(ops).size());
        var revoked = admin.revoke(ops, created.key().id());
        assertEquals(Optional.of("user:" + ops.userId()), revoked.revokedBy());
        assertEquals(Optional.empty(), keys.authenticate(created.secret()));
    }

    @Test
    void anyone_else_finds_nothing_and_changes_nothing() {
        UserCaller ops = user("ops@example.com", true);
        var created = admin.create(ops, "billing backend", PASSWORD);
        for (UserCaller other : new UserCaller[] {user("dev@example.com", true), user("ops@example.com.evil.example", true)}) {
            assertThrows(NotFoundException.class, () -> admin.list(other));
            assertThrows(NotFoundException.class, () -> admin.create(other, "mine", PASSWORD));
            assertThrows(NotFoundException.class, () -> admin.revoke(other, created.key().id()));
        }
        assertEquals(1, repository.all().size());
        assertTrue(repository.all().getFirst().revokedAt().isEmpty());
    }

    @Test
    void a_listed_address_counts_only_once_it_is_verified() {
        UserCaller squatter = user("ops@example.com", false);
        assertFalse(admin.isInstanceAdmin(users.findById(squatter.userId()).orElseThrow()));
        assertThrows(NotFoundException.class, () -> admin.create(squatter, "mine", PASSWORD));
        assertTrue(repository.all().isEmpty());
    }

    @Test
    void creating_asks_for_the_current_password_under_the_sign_in_limits() {
        UserCaller ops = user("ops@example.com", true);
        var wrong = assertThrows(InvalidInputException.class, () -> admin.create(ops, "billing", "not it at all"));
        assertEquals("currentPassword", wrong.errors().getFirst().field());
        assertThrows(InvalidInputException.class, () -> admin.create(ops, "billing", null));
        assertThrows(InvalidInputException.class, () -> admin.create(ops, "billing", "x".repeat(10_000)));
        assertTrue(repository.all().isEmpty());
        assertEquals(2, hasher.verifications(), "a password longer than any is refused before hashing");
    }
}
