package com.orgkeys.application.contract;

import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public abstract class RoleRepositoryContract extends RepositoryContract {
    @Test
    public void custom_roles_are_listed_by_key_and_found() {
        Organization acme = given.organization("Acme");
        Role support = Fixtures.newRole("org:support", "Support", Set.of(Permission.AGENTS_READ, Permission.MEMBERSHIPS_READ));
        Role billing = Fixtures.newRole("org:billing", "Billing", Set.of(Permission.PROFILE_MANAGE));
        // "_" sorts before letters by code point, as Java compares; a linguistic collation would not
        Role billOps = Fixtures.newRole("org:bill_ops", "Bill ops", Set.of());
        repositories.roles().insert(acme.id(), support);
        repositories.roles().insert(acme.id(), billOps);
        repositories.roles().insert(acme.id(), billing);
        given.role(given.organization("Other"), "org:auditor");

        assertEquals(List.of(billOps, billing, support), repositories.roles().list(acme.id()));
        assertEquals(Optional.of(support), repositories.roles().find(acme.id(), new RoleKey("org:support")));
        assertEquals(Optional.empty(), repositories.roles().find(acme.id(), new RoleKey("org:auditor")));
    }

    @Test
    public void an_existing_key_is_a_conflict_but_the_same_key_in_another_organization_is_not() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        Role billing = given.role(acme, "org:billing");

        assertThrows(ConflictException.class, () -> repositories.roles().insert(acme.id(),
                Fixtures.newRole("org:billing", "Billing again", Set.of(Permission.AGENTS_MANAGE))));
        assertEquals(Optional.of(billing), repositories.roles().find(acme.id(), billing.key()));

        repositories.roles().insert(other.id(), Fixtures.newRole("org:billing", "Billing", Set.of()));
        assertEquals(1, repositories.roles().list(other.id()).size());
    }

    @Test
    public void update_changes_name_and_permissions_in_that_organization_only() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        Role billing = given.role(acme, "org:billing");
        Role othersBilling = given.role(other, "org:billing");
        Role updated = billing.update("Finance", Set.of(Permission.API_KEYS_READ, Permission.PROFILE_MANAGE));

        repositories.roles().update(acme.id(), updated);

        assertEquals(Optional.of(updated), repositories.roles().find(acme.id(), billing.key()));
        assertEquals(Optional.of(othersBilling), repositories.roles().find(other.id(), billing.key()));
    }

    @Test
    public void delete_removes_the_role_in_that_organization_only() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        Role billing = given.role(acme, "org:billing");
        Role support = given.role(acme, "org:support");
        given.role(other, "org:billing");

        repositories.roles().delete(acme.id(), billing.key());

        assertEquals(List.of(support), repositories.roles().list(acme.id()));
        assertEquals(1, repositories.roles().list(other.id()).size());
    }
}
