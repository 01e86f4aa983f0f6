package com.orgkeys.application.membership.service;

import com.orgkeys.application.account.port.in.SignedIn;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MembershipServiceTest {
    private final TestApplication app = new TestApplication();
    private SignedIn alice;
    private Organization acme;

    @BeforeEach
    void aliceAdministersAcme() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
    }

    @Test
    public void members_are_found_by_id_only_in_the_callers_organization_and_only_with_the_read_permission() {
        SignedIn bob = app.member(acme, "Bob", RoleKey.MEMBER);
        SignedIn stranger = app.signUp("Stranger");
        app.organization("Elsewhere", stranger);

        var found = app.membershipService.findMembers(app.callerOf(bob),
                Set.of(alice.user().id(), stranger.user().id()));

        assertEquals(List.of(alice.user().id()), found.stream().map(m -> m.userId()).toList());
        assertThrows(InvalidInputException.class, () -> app.membershipService.findMembers(app.callerOf(alice),
                Stream.generate(UserId::random).limit(101).collect(Collectors.toSet())));
        assertEquals(List.of(), app.membershipService.findMembers(app.callerOf(stranger), Set.of(alice.user().id())),
                "found in another organization");
        SignedIn loner = app.signUp("Loner");
        assertThrows(ForbiddenException.class, () -> app.membershipService.findMembers(app.callerOf(loner),
                Set.of(alice.user().id())));
    }

    @Test
    public void the_last_admin_cannot_be_demoted() {
        assertThrows(ConflictException.class, () -> app.membershipService.changeRole(app.callerOf(alice),
                alice.user().id(), "org:member"));

        assertEquals(RoleKey.ADMIN, roleOf(alice));
    }

    @Test
    public void the_last_admin_can_neither_be_removed_nor_leave() {
        SignedIn bob = app.member(acme, "Bob", RoleKey.MEMBER);

        assertThrows(ConflictException.class, () -> app.membershipService.removeMember(app.callerOf(alice),
                alice.user().id()));

        assertEquals(RoleKey.ADMIN, roleOf(alice));
        assertEquals(RoleKey.MEMBER, roleOf(bob));
    }

    @Test
    public void an_admin_can_step_down_once_there_is_another_admin() {
        app.member(acme, "Bob", RoleKey.ADMIN);

        app.membershipService.changeRole(app.callerOf(alice), alice.user().id(), "org:member");

        assertEquals(RoleKey.MEMBER, roleOf(alice));
    }

    @Test
    public void changing_a_role_writes_an_audit_event_naming_both_roles() {
        SignedIn bob = app.member(acme, "Bob", RoleKey.MEMBER);

        app.membershipService.changeRole(app.callerOf(alice), bob.user().id(), "org:admin");

        AuditEvent event = app.auditEvent(acme, "member.role_changed");
        assertEquals("user:" + alice.user().id(), event.actor());
        assertEquals(bob.user().id().toString(), event.target());
        assertEquals("org:member -> org:admin", event.details());
    }

    @Test
    public void a_member_can_remove_themself_without_the_manage_permission() {
        SignedIn bob = app.member(acme, "Bob", RoleKey.MEMBER);

        app.membershipService.removeMember(app.callerOf(bob), bob.user().id());

        assertEquals(Optional.empty(), app.memberships.find(acme.id(), bob.user().id()));
        AuditEvent event = app.auditEvent(acme, "member.left");
        assertEquals("user:" + bob.user().id(), event.actor());
    }

    @Test
    public void a_member_cannot_remove_someone_else() {
        SignedIn bob = app.member(acme, "Bob", RoleKey.MEMBER);
        SignedIn carol = app.member(acme, "Carol", RoleKey.MEMBER);

        assertThrows(ForbiddenException.class, () -> app.membershipService.removeMember(app.callerOf(bob),
                carol.user().id()));

        assertEquals(RoleKey.MEMBER, roleOf(carol));
    }

    @Test
    public void an_admin_removes_a_member_and_the_removal_is_audited() {
        SignedIn bob = app.member(acme, "Bob", RoleKey.MEMBER);

        app.membershipService.removeMember(app.callerOf(alice), bob.user().id());

        assertEquals(Optional.empty(), app.memberships.find(acme.id(), bob.user().id()));
        AuditEvent event = app.auditEvent(acme, "member.removed");
        assertEquals(bob.user().id().toString(), event.target());
    }

    private RoleKey roleOf(SignedIn user) {
        return app.memberships.find(acme.id(), user.user().id()).map(Membership::role).orElseThrow();
    }
}
