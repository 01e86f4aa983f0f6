package com.orgkeys.application.contract;

import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.membership.UserOrganization;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public abstract class MembershipRepositoryContract extends RepositoryContract {
    @Test
    public void membership_is_found_by_organization_and_user() {
        User alice = given.user("Alice");
        Organization acme = given.organization("Acme");
        Membership membership = given.member(acme, alice, RoleKey.ADMIN, T0);

        assertEquals(Optional.of(membership), repositories.memberships().find(acme.id(), alice.id()));
        assertEquals(Optional.empty(), repositories.memberships().find(given.organization("Other").id(), alice.id()));
    }

    @Test
    public void joining_twice_is_a_conflict() {
        User alice = given.user("Alice");
        Organization acme = given.organization("Acme");
        given.member(acme, alice, RoleKey.ADMIN, T0);

        assertThrows(ConflictException.class, () -> repositories.memberships().insert(
                new Membership(acme.id(), alice.id(), RoleKey.MEMBER, at(Duration.ofHours(1)))));
        assertEquals(RoleKey.ADMIN, repositories.memberships().find(acme.id(), alice.id()).orElseThrow().role());
    }

    @Test
    public void page_filters_by_role() {
        Organization acme = given.organization("Acme");
        User alice = given.user("Alice");
        User bob = given.user("Bob");
        User carol = given.user("Carol");
        given.member(acme, alice, RoleKey.ADMIN, at(Duration.ofDays(1)));
        given.member(acme, bob, RoleKey.MEMBER, at(Duration.ofDays(2)));
        given.member(acme, carol, RoleKey.ADMIN, at(Duration.ofDays(3)));
        given.member(given.organization("Other"), given.user("Outsider"), RoleKey.ADMIN, T0);
        var memberships = repositories.memberships();

        var admins = memberships.page(acme.id(), Set.of(RoleKey.ADMIN), new PageRequest(1, 10));
        assertEquals(2, admins.totalCount());
        assertEquals(List.of(alice.id(), carol.id()), admins.data().stream().map(Member::userId).toList());
        assertEquals(List.of(carol.id()), memberships.page(acme.id(), Set.of(RoleKey.ADMIN), new PageRequest(2, 1))
                .data().stream().map(Member::userId).toList());
        assertEquals(3, memberships.page(acme.id(), Set.of(RoleKey.ADMIN, RoleKey.MEMBER), new PageRequest(1, 10)).totalCount());
        assertEquals(0, memberships.page(acme.id(), Set.of(new RoleKey("org:nobody")), new PageRequest(1, 10)).totalCount());
    }

    @Test
    public void page_lists_members_oldest_first_with_the_total_count() {
        Organization acme = given.organization("Acme");
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            User user = given.user("user" + i + "@example.com", "User " + i);
            users.add(user);
            // joined in reverse order of creation, so that insertion order cannot pass for the right order
            given.member(acme, user, RoleKey.MEMBER, at(Duration.ofDays(10 - i)));
        }
        given.member(given.organization("Other"), given.user("Outsider"), RoleKey.ADMIN, T0);

        Page<Member> second = repositories.memberships().page(acme.id(), new PageRequest(2, 2));

        assertEquals(5, second.totalCount());
        User u2 = users.get(2);
        User u1 = users.get(1);
        assertEquals(List.of(
                new Member(u2.id(), u2.email(), u2.name(), RoleKey.MEMBER, at(Duration.ofDays(8))),
                new Member(u1.id(), u1.email(), u1.name(), RoleKey.MEMBER, at(Duration.ofDays(9)))), second.data());
        assertEquals(List.of(users.get(0).id()), repositories.memberships().page(acme.id(), new PageRequest(3, 2))
                .data().stream().map(Member::userId).toList());
    }

    @Test
    public void members_of_several_organizations_are_counted_at_once_with_zero_for_none() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        Organization empty = given.organization("Empty");
        given.member(acme, given.user("Alice"), RoleKey.ADMIN, T0);
        given.member(acme, given.user("Bob"), RoleKey.MEMBER, T0);
        given.member(other, given.user("Carol"), RoleKey.ADMIN, T0);

        var counts = repositories.memberships().countMembers(List.of(acme.id(), other.id(), empty.id()));

        assertEquals(2L, counts.get(acme.id()));
        assertEquals(1L, counts.get(other.id()));
        assertEquals(0L, counts.getOrDefault(empty.id(), 0L));
        assertEquals(java.util.Map.of(), repositories.memberships().countMembers(List.of()));
    }

    @Test
    public void members_are_found_by_user_id_in_their_organization_only() {
        Organization acme = given.organization("Acme");
        User alice = given.user("alice@example.com", "Alice");
        User bob = given.user("bob@example.com", "Bob");
        User outsider = given.user("eve@example.com", "Eve");
        given.member(acme, alice, RoleKey.ADMIN, T0);
        given.member(acme, bob, RoleKey.MEMBER, at(Duration.ofDays(1)));
        given.member(given.organization("Other"), outsider, RoleKey.ADMIN, T0);

        List<Member> found = repositories.memberships().findAll(acme.id(),
                Set.of(bob.id(), outsider.id(), new UserId(UUID.randomUUID())));

        assertEquals(List.of(new Member(bob.id(), bob.email(), bob.name(), RoleKey.MEMBER, at(Duration.ofDays(1)))), found);
        assertEquals(List.of(), repositories.memberships().findAll(acme.id(), Set.of()));
        assertEquals(List.of(alice.id(), bob.id()), repositories.memberships().findAll(acme.id(),
                Set.of(alice.id(), bob.id())).stream().map(Member::userId).toList(), "oldest membership first");
    }

    @Test
    public void members_show_whether_they_have_a_confirmed_second_factor() {
        Organization acme = given.organization("Acme");
        User alice = given.user("alice@example.com", "Alice");
        User bob = given.user("bob@example.com", "Bob");
        User carol = given.user("carol@example.com", "Carol");
        given.member(acme, alice, RoleKey.ADMIN, T0);
        given.member(acme, bob, RoleKey.MEMBER, at(Duration.ofDays(1)));
        given.member(acme, carol, RoleKey.MEMBER, at(Duration.ofDays(2)));
        var secret = new com.orgkeys.domain.twofactor.TotpFactor.EncryptedSecret(1, new byte[]{1, 2, 3});
        repositories.twoFactors().savePendingTotp(com.orgkeys.domain.twofactor.TotpFactor.pending(alice.id(), secret, T0));
        repositories.twoFactors().confirmTotp(alice.id(), secret, 1, T0);
        // a pending enrollment is no second factor yet
        repositories.twoFactors().savePendingTotp(com.orgkeys.domain.twofactor.TotpFactor.pending(bob.id(), secret, T0));

        List<Boolean> listed = repositories.memberships().page(acme.id(), PageRequest.first(10)).data().stream()
                .map(Member::twoFactorEnabled).toList();
        assertEquals(List.of(true, false, false), listed);
        assertEquals(List.of(true, false, false), repositories.memberships().findAll(acme.id(),
                Set.of(alice.id(), bob.id(), carol.id())).stream().map(Member::twoFactorEnabled).toList());
        assertEquals(2, repositories.memberships().countWithoutSecondFactor(acme.id()));
        assertEquals(0, repositories.memberships().countWithoutSecondFactor(given.organization("Empty").id()));
    }

    @Test
    public void a_users_organizations_come_by_name_with_their_role() {
        User alice = given.user("Alice");
        Organization zeta = given.organization("Zeta");
        Organization alpha = given.organization("Alpha");
        Organization beta = given.organization("Beta");
        given.member(zeta, alice, RoleKey.ADMIN, T0);
        given.member(alpha, alice, RoleKey.MEMBER, T0);
        given.member(beta, given.user("Bob"), RoleKey.ADMIN, T0);

        assertEquals(List.of(new UserOrganization(alpha, RoleKey.MEMBER), new UserOrganization(zeta, RoleKey.ADMIN)),
                repositories.memberships().listForUser(alice.id()));
    }

    @Test
    public void role_can_be_changed_and_counted() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        User alice = given.user("Alice");
        User bob = given.user("Bob");
        given.member(acme, alice, RoleKey.ADMIN, T0);
        given.member(acme, bob, RoleKey.ADMIN, T0);
        given.member(other, alice, RoleKey.ADMIN, T0);

        repositories.memberships().updateRole(acme.id(), bob.id(), RoleKey.MEMBER);

        assertEquals(1, repositories.memberships().countWithRole(acme.id(), RoleKey.ADMIN));
        assertEquals(1, repositories.memberships().countWithRole(acme.id(), RoleKey.MEMBER));
        assertEquals(0, repositories.memberships().countWithRole(acme.id(), new RoleKey("org:billing")));
        assertEquals(1, repositories.memberships().countWithRole(other.id(), RoleKey.ADMIN));
        assertEquals(RoleKey.MEMBER, repositories.memberships().find(acme.id(), bob.id()).orElseThrow().role());
    }

    @Test
    public void deleting_a_membership_removes_only_that_one() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        User alice = given.user("Alice");
        given.member(acme, alice, RoleKey.ADMIN, T0);
        given.member(other, alice, RoleKey.ADMIN, T0);

        repositories.memberships().delete(acme.id(), alice.id());

        assertEquals(Optional.empty(), repositories.memberships().find(acme.id(), alice.id()));
        assertEquals(0, repositories.memberships().page(acme.id(), PageRequest.first(10)).totalCount());
        assertEquals(1, repositories.memberships().page(other.id(), PageRequest.first(10)).totalCount());
    }

    @Test
    public void a_cursor_walk_visits_every_member_once_oldest_first_while_members_are_added() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        List<Member> members = new ArrayList<>();
        // three joined in the same instant: ordered by user id, ascending as joined_at
        for (int i = 1; i <= 7; i++) {
            User user = given.user("walker" + i + "@example.com", "Walker " + i);
            Instant joined = at(Duration.ofDays(i <= 3 ? 3 : i));
            given.member(acme, user, RoleKey.MEMBER, joined);
            members.add(new Member(user.id(), user.email(), user.name(), RoleKey.MEMBER, joined));
        }
        given.member(other, given.user("Outsider"), RoleKey.ADMIN, T0);
        List<Member> ordered = members.stream().sorted(Comparator.comparing(Member::joinedAt)
                .thenComparing((Member m) -> m.userId().value().toString())).toList();
        // rows that belong before the walk's first row: in this oldest-first list, members who joined earlier
        int[] made = {0};
        Supplier<Member> earlier = () -> {
            User user = given.user("early" + ++made[0] + "@example.com", "Early " + made[0]);
            given.member(acme, user, RoleKey.MEMBER, at(Duration.ofDays(-made[0])));
            return new Member(user.id(), user.email(), user.name(), RoleKey.MEMBER, at(Duration.ofDays(-made[0])));
        };

        KeysetChecks.walkVisitsEveryRowOnceWhileRowsArrive(page -> repositories.memberships().page(acme.id(), page),
                ordered, List.of(earlier, earlier));
        KeysetChecks.pageNumberPagesCarryCursors(page -> repositories.memberships().page(acme.id(), page), 9);
        KeysetChecks.cursorIsRefusedElsewhere(page -> repositories.memberships().page(acme.id(), page),
                page -> repositories.memberships().page(other.id(), page));
        KeysetChecks.cursorIsRefusedElsewhere(page -> repositories.memberships().page(acme.id(), page),
                page -> repositories.auditLog().page(acme.id(), page));
    }
}
