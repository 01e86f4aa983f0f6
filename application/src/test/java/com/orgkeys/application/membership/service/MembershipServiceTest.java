package com.orgkeys.application.membership.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.CreateInvitationCommand;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.CreateRoleCommand;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.UpdateRoleCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.Permission;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(new UserActor(alice.user().id()), event.actor());
        assertEquals(bob.user().id().toString(), event.target());
        assertEquals("org:member -> org:admin", event.details());
    }

    @Test
    public void a_member_can_remove_themself_without_the_manage_permission() {
        SignedIn bob = app.member(acme, "Bob", RoleKey.MEMBER);

        app.membershipService.removeMember(app.callerOf(bob), bob.user().id());

        assertEquals(Optional.empty(), app.memberships.find(acme.id(), bob.user().id()));
        AuditEvent event = app.auditEvent(acme, "member.left");
        assertEquals(new UserActor(bob.user().id()), event.actor());
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

    /**
     * Issue 18, item 1: a member whose role held only the memberships permissions widened his role, made a role
     * that may delete the organization, promoted himself to admin, then demoted and removed the admin.
     */
    @Test
    public void a_membership_manager_cannot_take_over_the_organization() {
        app.role(acme, "org:people", Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE));
        SignedIn mallory = app.member(acme, "Mallory", new RoleKey("org:people"));
        UserCaller caller = app.callerOf(mallory);

        assertThrows(ForbiddenException.class, () -> app.roleService.updateRole(caller, "org:people",
                new UpdateRoleCommand(Optional.empty(), Optional.of(List.of("org:sys_memberships:read",
                        "org:sys_memberships:manage", "org:sys_profile:delete")))));
        assertThrows(ForbiddenException.class, () -> app.roleService.createRole(caller,
                new CreateRoleCommand("org:owner", "Owner", List.of("org:sys_profile:delete"))));
        assertThrows(ForbiddenException.class, () -> app.membershipService.changeRole(caller,
                mallory.user().id(), "org:admin"));
        assertThrows(ForbiddenException.class, () -> app.membershipService.changeRole(caller,
                alice.user().id(), "org:people"));
        assertThrows(ForbiddenException.class, () -> app.membershipService.removeMember(caller, alice.user().id()));
        assertThrows(ForbiddenException.class, () -> app.invitationService.createInvitation(caller,
                new CreateInvitationCommand("mallory2@example.com", "org:admin")));

        assertEquals(RoleKey.ADMIN, roleOf(alice));
        assertEquals(new RoleKey("org:people"), roleOf(mallory));
        assertEquals(Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE),
                app.roles.permissions(acme.id(), new RoleKey("org:people")));
        assertEquals(Optional.empty(), app.roleRepository.find(acme.id(), new RoleKey("org:owner")));
        assertEquals(List.of(), app.invitations.listPending(acme.id(), app.clock.instant()));
    }

    @Test
    public void only_an_admin_can_change_or_remove_an_admin() {
        app.role(acme, "org:almost", Set.copyOf(Permission.ALL));
        SignedIn bob = app.member(acme, "Bob", new RoleKey("org:almost"));
        SignedIn carol = app.member(acme, "Carol", RoleKey.ADMIN);

        var demote = assertThrows(ForbiddenException.class, () -> app.membershipService.changeRole(app.callerOf(bob),
                carol.user().id(), "org:member"));
        var remove = assertThrows(ForbiddenException.class, () -> app.membershipService.removeMember(app.callerOf(bob),
                carol.user().id()));
        var promote = assertThrows(ForbiddenException.class, () -> app.membershipService.changeRole(app.callerOf(bob),
                bob.user().id(), "org:admin"));

        assertEquals("Only an admin can change or remove an admin.", demote.getMessage());
        assertEquals("Only an admin can change or remove an admin.", remove.getMessage());
        assertEquals("Only an admin can give the role org:admin.", promote.getMessage());
        assertEquals(RoleKey.ADMIN, roleOf(carol));
        app.membershipService.changeRole(app.callerOf(alice), carol.user().id(), "org:member");
        assertEquals(RoleKey.MEMBER, roleOf(carol));
    }

    @Test
    public void a_role_is_given_only_by_who_holds_all_its_permissions_and_the_refusal_names_the_missing_ones() {
        app.role(acme, "org:people", Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE));
        app.role(acme, "org:readers", Set.of(Permission.MEMBERSHIPS_READ));
        SignedIn mallory = app.member(acme, "Mallory", new RoleKey("org:people"));
        SignedIn bob = app.member(acme, "Bob", new RoleKey("org:readers"));

        var e = assertThrows(ForbiddenException.class, () -> app.membershipService.changeRole(app.callerOf(mallory),
                bob.user().id(), "org:member"));

        assertEquals("You cannot give the role org:member: it has org:agents:read, org:agents:manage, which you do "
                + "not hold.", e.getMessage());
        assertEquals(new RoleKey("org:readers"), roleOf(bob));
        app.membershipService.changeRole(app.callerOf(mallory), bob.user().id(), "org:people");
        assertEquals(new RoleKey("org:people"), roleOf(bob));
    }

    @Test
    public void a_member_whose_role_holds_more_than_the_caller_can_be_neither_changed_nor_removed_by_them() {
        app.role(acme, "org:people", Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE));
        SignedIn mallory = app.member(acme, "Mallory", new RoleKey("org:people"));
        SignedIn bob = app.member(acme, "Bob", RoleKey.MEMBER);

        var e = assertThrows(ForbiddenException.class, () -> app.membershipService.removeMember(app.callerOf(mallory),
                bob.user().id()));
        assertThrows(ForbiddenException.class, () -> app.membershipService.changeRole(app.callerOf(mallory),
                bob.user().id(), "org:people"));

        assertTrue(e.getMessage().contains("org:agents:read, org:agents:manage"), e.getMessage());
        assertEquals(RoleKey.MEMBER, roleOf(bob));
    }

    @Test
    public void a_manager_demoted_since_their_request_was_authenticated_grants_nothing() {
        SignedIn bob = app.member(acme, "Bob", RoleKey.ADMIN);
        SignedIn carol = app.member(acme, "Carol", RoleKey.MEMBER);
        UserCaller bobAsAuthenticated = app.callerOf(bob);
        app.membershipService.changeRole(app.callerOf(alice), bob.user().id(), "org:member");

        assertThrows(ForbiddenException.class, () -> app.membershipService.changeRole(bobAsAuthenticated,
                carol.user().id(), "org:admin"));
        assertThrows(ForbiddenException.class, () -> app.membershipService.removeMember(bobAsAuthenticated,
                carol.user().id()));

        assertEquals(RoleKey.MEMBER, roleOf(carol));
    }

    private RoleKey roleOf(SignedIn user) {
        return app.memberships.find(acme.id(), user.user().id()).map(Membership::role).orElseThrow();
    }
}
