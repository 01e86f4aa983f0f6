package com.orgkeys.application.membership.service;

import com.orgkeys.application.account.port.in.SignedIn;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.CreateRoleCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

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

    private UserCaller admin() {
        return app.callerOf(alice);
    }
}
