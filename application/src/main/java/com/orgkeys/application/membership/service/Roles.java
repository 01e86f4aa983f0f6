package com.orgkeys.application.membership.service;

import com.orgkeys.application.membership.port.out.RoleRepository;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.InvalidInputException;

import java.util.Optional;
import java.util.Set;

/** Looks up a role of an organization: built-in ones from the code, custom ones from the repository. */
public final class Roles {
    private final RoleRepository roles;

    public Roles(RoleRepository roles) {
        this.roles = roles;
    }

    public Optional<Role> find(OrganizationId organizationId, RoleKey key) {
        return Role.builtIn(key).or(() -> roles.find(organizationId, key));
    }

    /** The permissions of a role of an organization; none when the role no longer exists. */
    public Set<Permission> permissions(OrganizationId organizationId, RoleKey key) {
        return find(organizationId, key).map(Role::permissions).orElse(Set.of());
    }

    /** The role for a request field; an unknown key is the client's mistake (422 on {@code field}). */
    public Role require(OrganizationId organizationId, String field, String key) {
        RoleKey roleKey;
        try {
            roleKey = new RoleKey(key);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(field, e.errors().getFirst().message());
        }
        return find(organizationId, roleKey)
                .orElseThrow(() -> new InvalidInputException(field, "no role " + key + " in this organization"));
    }
}
