package com.orgkeys.application.contract;

import com.orgkeys.domain.account.UserProfile;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.UserMetadata;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.metadata.Metadata;
import com.orgkeys.domain.organization.Organization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    // ---- the backend API's users: profiles, lists, metadata, deletion ----------------------------------------

    /** Metadata of one key, whose compact JSON is plain (the adapters write it with Jackson; one key keeps its order). */
    static Metadata one(String key, String value) {
        return Metadata.of("metadata", Map.of(key, value), v -> "{\"" + key + "\":\"" + value + "\"}");
    }

    User userCreated(String email, String name, Duration afterT0) {
        User user = new User(UserId.random(), new Email(email), name, "hash-of-" + name, Fixtures.at(afterT0));
        repositories.users().insert(user);
        return user;
    }

    @Test
    public void a_new_user_has_empty_metadata_which_is_replaced_whole() {
        User alice = given.user("alice@example.com", "Alice");
        assertEquals(Optional.of(UserMetadata.EMPTY), repositories.users().lockMetadata(alice.id()));

        UserMetadata metadata = new UserMetadata(one("plan", "pro"), one("stripe", "cus_1"), one("theme", "dark"));
        assertTrue(repositories.users().updateMetadata(alice.id(), metadata));

        assertEquals(Optional.of(metadata), repositories.users().lockMetadata(alice.id()));
        assertEquals(metadata, repositories.users().profile(alice.id()).orElseThrow().metadata());
        assertFalse(repositories.users().updateMetadata(UserId.random(), metadata));
        assertEquals(Optional.empty(), repositories.users().lockMetadata(UserId.random()));
    }

    @Test
    public void a_profile_has_the_latest_sign_in_and_activity_of_the_users_sessions() {
        User alice = given.user("alice@example.com", "Alice");
        assertEquals(Optional.empty(), repositories.users().profile(alice.id()).orElseThrow().lastSignInAt());
        given.session(alice, Fixtures.at(Duration.ofHours(1)), Fixtures.at(Duration.ofHours(5)));
        given.session(alice, Fixtures.at(Duration.ofHours(2)), Fixtures.at(Duration.ofHours(3)));

        var profile = repositories.users().profile(alice.id()).orElseThrow();
        assertEquals(alice, profile.user());
        assertEquals(Optional.of(Fixtures.at(Duration.ofHours(2))), profile.lastSignInAt());
        assertEquals(Optional.of(Fixtures.at(Duration.ofHours(5))), profile.lastActiveAt());
        assertEquals(Optional.empty(), repositories.users().profile(UserId.random()));
    }

    @Test
    public void users_are_listed_filtered_ordered_paged_and_counted_up_to_the_cap() {
        User carol = userCreated("carol@example.com", "Carol", Duration.ofMinutes(1));
        User alice = userCreated("alice@example.com", "Alice Smith", Duration.ofMinutes(3));
        User bob = userCreated("bob@example.org", "Bob", Duration.ofMinutes(2));
        var users = repositories.users();
        UserRepository.Filter all = new UserRepository.Filter(List.of(), Optional.empty(), UserRepository.Order.CREATED_AT, true);

        assertEquals(List.of(alice, bob, carol), users.list(all, 10, 0).stream().map(UserProfile::user).toList());
        assertEquals(List.of(bob), users.list(all, 1, 1).stream().map(UserProfile::user).toList());
        assertEquals(List.of(alice, bob, carol), users.list(new UserRepository.Filter(List.of(), Optional.empty(),
                UserRepository.Order.EMAIL, false), 10, 0).stream().map(UserProfile::user).toList());
        assertEquals(List.of(carol, bob, alice), users.list(new UserRepository.Filter(List.of(), Optional.empty(),
                UserRepository.Order.NAME, true), 10, 0).stream().map(UserProfile::user).toList());

        var byEmail = new UserRepository.Filter(List.of(new Email("BOB@example.org"), new Email("carol@example.com"),
                new Email("nobody@example.com")), Optional.empty(), UserRepository.Order.CREATED_AT, false);
        assertEquals(List.of(carol, bob), users.list(byEmail, 10, 0).stream().map(UserProfile::user).toList());
        assertEquals(2, users.count(byEmail, 100));

        var byText = new UserRepository.Filter(List.of(), Optional.of("SMITH"), UserRepository.Order.CREATED_AT, false);
        assertEquals(List.of(alice), users.list(byText, 10, 0).stream().map(UserProfile::user).toList());
        var byDomain = new UserRepository.Filter(List.of(), Optional.of("example.org"), UserRepository.Order.CREATED_AT, false);
        assertEquals(List.of(bob), users.list(byDomain, 10, 0).stream().map(UserProfile::user).toList());
        var literal = new UserRepository.Filter(List.of(), Optional.of("_%"), UserRepository.Order.CREATED_AT, false);
        assertEquals(0, users.count(literal, 100), "LIKE's wildcards are searched for literally");

        assertEquals(3, users.count(all, 100));
        assertEquals(2, users.count(all, 2));
    }

    @Test
    public void deleting_a_user_takes_their_sessions_and_memberships_and_no_one_elses() {
        User alice = given.user("alice@example.com", "Alice");
        User bob = given.user("bob@example.com", "Bob");
        Organization acme = given.organization("Acme");
        given.member(acme, alice, RoleKey.ADMIN, Fixtures.T0);
        given.member(acme, bob, RoleKey.MEMBER, Fixtures.T0);
        Session aliceSession = given.session(alice, Fixtures.T0, Fixtures.T0);
        Session bobSession = given.session(bob, Fixtures.T0, Fixtures.T0);

        assertTrue(repositories.users().delete(alice.id()));

        assertEquals(Optional.empty(), repositories.users().findById(alice.id()));
        assertEquals(Optional.empty(), repositories.sessions().findById(aliceSession.id()));
        assertEquals(Optional.empty(), repositories.memberships().find(acme.id(), alice.id()));
        assertEquals(Optional.of(bobSession), repositories.sessions().findById(bobSession.id()));
        assertTrue(repositories.memberships().find(acme.id(), bob.id()).isPresent());
        assertFalse(repositories.users().delete(alice.id()));
    }
}
