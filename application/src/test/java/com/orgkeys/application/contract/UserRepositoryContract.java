package com.orgkeys.application.contract;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.shared.ConflictException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public abstract class UserRepositoryContract extends RepositoryContract {
    @Test
    public void inserted_user_is_found_by_id_and_by_email() {
        User alice = given.user("alice@example.com", "Alice");

        assertEquals(Optional.of(alice), repositories.users().findById(alice.id()));
        assertEquals(Optional.of(alice), repositories.users().findByEmail(new Email("alice@example.com")));
    }

    @Test
    public void email_lookup_ignores_case() {
        User alice = given.user("alice@example.com", "Alice");

        assertEquals(Optional.of(alice), repositories.users().findByEmail(new Email("  ALICE@Example.COM ")));
    }

    @Test
    public void unknown_user_is_not_found() {
        given.user("alice@example.com", "Alice");

        assertEquals(Optional.empty(), repositories.users().findById(UserId.random()));
        assertEquals(Optional.empty(), repositories.users().findByEmail(new Email("bob@example.com")));
    }

    @Test
    public void duplicate_email_is_a_conflict_whatever_its_case() {
        given.user("alice@example.com", "Alice");
        User again = Fixtures.newUser("Alice@EXAMPLE.com", "Other Alice");

        var e = assertThrows(ConflictException.class, () -> repositories.users().insert(again));
        assertEquals("Email is already registered.", e.getMessage());
        assertEquals(Optional.empty(), repositories.users().findById(again.id()));
    }

    @Test
    public void an_email_is_changed_from_the_expected_one_to_a_free_one_and_verified() {
        User alice = given.user("alice@example.com", "Alice");
        User bob = given.user("bob@example.com", "Bob");
        Email moved = new Email("ada@example.com");
        Instant now = Fixtures.at(Duration.ofMinutes(1));

        assertThrows(ConflictException.class, () -> repositories.users().changeEmail(alice.id(), alice.email(),
                new Email("BOB@example.com"), now));
        assertEquals(Optional.of(alice), repositories.users().findById(alice.id()));
        assertFalse(repositories.users().changeEmail(alice.id(), bob.email(), moved, now)); // not her address
        assertTrue(repositories.users().changeEmail(alice.id(), alice.email(), moved, now));

        User changed = repositories.users().findById(alice.id()).orElseThrow();
        assertEquals(moved, changed.email());
        assertEquals(Optional.of(now), changed.emailVerifiedAt());
        assertEquals(Optional.of(changed), repositories.users().findByEmail(moved));
        assertEquals(Optional.empty(), repositories.users().findByEmail(alice.email()));
        assertFalse(repositories.users().changeEmail(alice.id(), alice.email(), new Email("x@example.com"), now));
        assertEquals(Optional.of(bob), repositories.users().findById(bob.id()));
    }
}
