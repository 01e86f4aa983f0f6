package com.orgkeys.application.membership.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.CreateRoleCommand;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.UpdateRoleCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoleServiceTest {
    private static final RoleKey AUDITOR = new RoleKey("org:auditor");

    private final TestApplication app = new TestApplication();
    private SignedIn alice;
    private Organization acme;

    @BeforeEach
    void aliceAdministersAcmeWithAnAuditorRole() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
        app.roleService.createRole(admin(), new CreateRoleCommand(AUDITOR.value(), "Auditor",
                List.of("org:sys_api_keys:read", "org:agents:read")));
    }

    @Test
    public void a_role_held_by_a_member_cannot_be_deleted_until_nobody_holds_it() {
        SignedIn bob = app.member(acme, "Bob", AUDITOR);

        assertThrows(ConflictException.class, () -> app.roleService.deleteRole(admin(), AUDITOR.value()));
        assertTrue(app.roleRepository.find(acme.id(), AUDITOR).isPresent());

        app.membershipService.changeRole(admin(), bob.user().id(), "org:member");
        app.roleService.deleteRole(admin(), AUDITOR.value());

        assertEquals(Optional.empty(), app.roleRepository.find(acme.id(), AUDITOR));
        assertEquals(AUDITOR.value(), app.auditEvent(acme, "role.deleted").target());
    }

    @Test
    public void built_in_roles_cannot_be_deleted() {
        assertThrows(ConflictException.class, () -> app.roleService.deleteRole(admin(), "org:member"));
        assertThrows(ConflictException.class, () -> app.roleService.deleteRole(admin(), "org:admin"));
    }

    @Test
    public void an_unknown_permission_is_named_in_the_permissions_field() {
        var e = assertThrows(InvalidInputException.class, () -> app.roleService.createRole(admin(),
                new CreateRoleCommand("org:billing", "Billing", List.of("org:agents:read", "org:launch:missiles"))));

        assertEquals(List.of("permissions"), e.errors().stream().map(FieldError::field).toList());
        assertEquals(Optional.empty(), app.roleRepository.find(acme.id(), new RoleKey("org:billing")));
    }

    @Test
    public void nobody_can_widen_a_role_they_hold() {
        app.role(acme, "org:people", Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE));
        UserCaller mallory = app.callerOf(app.member(acme, "Mallory", new RoleKey("org:people")));

        var e = assertThrows(ForbiddenException.class, () -> app.roleService.updateRole(mallory, "org:people",
                new UpdateRoleCommand(Optional.empty(), Optional.of(List.of("org:sys_memberships:read",
                        "org:sys_memberships:manage", "org:sys_profile:delete")))));

        assertEquals("You cannot grant org:sys_profile:delete: you do not hold it.", e.getMessage());
        assertEquals(Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE),
                app.roles.permissions(acme.id(), new RoleKey("org:people")));
    }

    @Test
    public void a_role_is_created_only_with_permissions_its_creator_holds() {
        app.role(acme, "org:people", Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE));
        UserCaller mallory = app.callerOf(app.member(acme, "Mallory", new RoleKey("org:people")));

        var e = assertThrows(ForbiddenException.class, () -> app.roleService.createRole(mallory,
                new CreateRoleCommand("org:owner", "Owner", List.of("org:sys_profile:delete", "org:sys_profile:manage"))));

        assertEquals("You cannot grant org:sys_profile:manage, org:sys_profile:delete: you do not hold them.",
                e.getMessage());
        assertEquals(Optional.empty(), app.roleRepository.find(acme.id(), new RoleKey("org:owner")));
        app.roleService.createRole(mallory, new CreateRoleCommand("org:readers", "Readers", List.of("org:sys_memberships:read")));
        assertTrue(app.roleRepository.find(acme.id(), new RoleKey("org:readers")).isPresent());
    }

    @Test
    public void a_role_with_a_permission_the_caller_lacks_cannot_be_edited_by_them_not_even_narrowed_or_renamed() {
        app.role(acme, "org:people", Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE));
        UserCaller mallory = app.callerOf(app.member(acme, "Mallory", new RoleKey("org:people")));

        var narrow = assertThrows(ForbiddenException.class, () -> app.roleService.updateRole(mallory, AUDITOR.value(),
                new UpdateRoleCommand(Optional.empty(), Optional.of(List.of()))));
        assertThrows(ForbiddenException.class, () -> app.roleService.updateRole(mallory, AUDITOR.value(),
                new UpdateRoleCommand(Optional.of("Renamed"), Optional.empty())));

        assertEquals("You cannot change the role org:auditor: it has org:sys_api_keys:read, org:agents:read, which "
                + "you do not hold.", narrow.getMessage());
        assertEquals(Set.of(Permission.API_KEYS_READ, Permission.AGENTS_READ), app.roles.permissions(acme.id(), AUDITOR));
    }

    @Test
    public void the_holder_of_a_role_can_narrow_it() {
        app.role(acme, "org:people", Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE));
        UserCaller mallory = app.callerOf(app.member(acme, "Mallory", new RoleKey("org:people")));

        app.roleService.updateRole(mallory, "org:people", new UpdateRoleCommand(Optional.of("People"),
                Optional.of(List.of("org:sys_memberships:read"))));

        assertEquals(Set.of(Permission.MEMBERSHIPS_READ), app.roles.permissions(acme.id(), new RoleKey("org:people")));
    }

    @Test
    public void a_role_with_permissions_the_caller_lacks_cannot_be_deleted_by_them() {
        app.role(acme, "org:people", Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE));
        UserCaller mallory = app.callerOf(app.member(acme, "Mallory", new RoleKey("org:people")));

        var e = assertThrows(ForbiddenException.class, () -> app.roleService.deleteRole(mallory, AUDITOR.value()));

        assertEquals("You cannot delete the role org:auditor: it has org:sys_api_keys:read, org:agents:read, which you do not hold.",
                e.getMessage());
        assertTrue(app.roleRepository.find(acme.id(), AUDITOR).isPresent());
        app.role(acme, "org:readers", Set.of(Permission.MEMBERSHIPS_READ));
        app.roleService.deleteRole(mallory, "org:readers"); // one whose every permission they hold: allowed
        assertEquals(Optional.empty(), app.roleRepository.find(acme.id(), new RoleKey("org:readers")));
    }

    @Test
    public void a_list_of_more_permissions_than_exist_is_refused_at_once_naming_the_field() {
        List<String> many = java.util.Collections.nCopies(100_000, "a");

        var created = assertThrows(InvalidInputException.class, () -> app.roleService.createRole(admin(),
                new CreateRoleCommand("org:many", "Many", many)));
        var updated = assertThrows(InvalidInputException.class, () -> app.roleService.updateRole(admin(), AUDITOR.value(),
                new UpdateRoleCommand(Optional.empty(), Optional.of(many))));

        for (var e : List.of(created, updated)) {
            assertEquals(List.of(new FieldError("permissions", "must list at most " + Permission.ALL.size()
                    + " permissions")), e.errors());
        }
        var eight = app.roleService.createRole(admin(), new CreateRoleCommand("org:eight", "Eight",
                Permission.ALL.stream().map(Permission::value).toList()));
        assertEquals(Permission.ALL.size(), eight.permissions().size());
    }

    private UserCaller admin() {
        return app.callerOf(alice);
    }
}
