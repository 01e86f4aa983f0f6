package com.orgkeys.application.membership.service;

import com.orgkeys.application.apikey.service.OwnedApiKeys;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.membership.port.out.RoleRepository;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.membership.Grantor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

public final class RoleService implements ManageRolesUseCase {
    private final RoleRepository roles;
    private final MembershipRepository memberships;
    private final Grants grants;
    private final Audit audit;
    private final TransactionRunner tx;
    private final Clock clock;
    private final OwnedApiKeys ownedKeys;

    /** @param ownedKeys the members' own API keys, which change with their role's permissions */
    public RoleService(RoleRepository roles, MembershipRepository memberships, Grants grants, Audit audit,
                       TransactionRunner tx, Clock clock, OwnedApiKeys ownedKeys) {
        this.ownedKeys = ownedKeys;
        this.roles = roles;
        this.memberships = memberships;
        this.grants = grants;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public List<Role> listRoles(Caller caller) {
        OrganizationId org = caller.requireOrganization();
        List<Role> all = new ArrayList<>(Role.BUILT_IN);
        all.addAll(roles.list(org));
        return all;
    }

    @Override
    public Role createRole(Caller caller, CreateRoleCommand command) {
        OrganizationId org = caller.require(Permission.MEMBERSHIPS_MANAGE);
        List<FieldError> errors = new ArrayList<>();
        RoleKey key = null;
        try {
            key = new RoleKey(command.key());
            if (key.isBuiltIn()) errors.add(new FieldError("key", key + " is a built-in role"));
        } catch (InvalidInputException e) {
            errors.add(new FieldError("key", e.errors().getFirst().message()));
        }
        Set<Permission> permissions = permissions(command.permissions(), errors);
        String name = command.name();
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Role role = Role.custom(key, name, permissions, clock.instant());
        return tx.inTransaction(() -> {
            Grantor grantor = grants.lockAndRequire(caller, org, Permission.MEMBERSHIPS_MANAGE);
            grantor.requireCanGrant(role.permissions());
            if (roles.find(org, role.key()).isPresent()) throw new ConflictException("The role " + role.key() + " exists.");
            roles.insert(org, role);
            audit.record(caller, org, "role.created", role.key().value(), describe(role));
            return role;
        });
    }

    @Override
    public Role updateRole(Caller caller, String key, UpdateRoleCommand command) {
        OrganizationId org = caller.require(Permission.MEMBERSHIPS_MANAGE);
        RoleKey roleKey = parseExisting(key);
        if (roleKey.isBuiltIn()) throw new ConflictException("Built-in roles cannot be changed.");
        List<String> forget = new ArrayList<>();
        Role result = tx.inTransaction(() -> {
            // locks: nobody is given the role while its permissions change
            Grantor grantor = grants.lockAndRequire(caller, org, Permission.MEMBERSHIPS_MANAGE);
            Role current = roles.find(org, roleKey).orElseThrow(() -> new NotFoundException("No role " + key + "."));
            List<FieldError> errors = new ArrayList<>();
            Set<Permission> permissions = command.permissions().map(p -> permissions(p, errors)).orElse(current.permissions());
            if (!errors.isEmpty()) throw new InvalidInputException(errors);
            grantor.requireCanEdit(current, permissions);
            Role updated = current.update(command.name().orElse(current.name()), permissions);
            roles.update(org, updated);
            audit.record(caller, org, "role.updated", updated.key().value(), describe(updated));
            if (!updated.permissions().equals(current.permissions())) {
                forget.addAll(ownedKeys.rolePermissionsChanged(org, roleKey));
            }
            return updated;
        });
        ownedKeys.forgetHere(forget);
        return result;
    }

    @Override
    public void deleteRole(Caller caller, String key) {
        OrganizationId org = caller.require(Permission.MEMBERSHIPS_MANAGE);
        RoleKey roleKey = parseExisting(key);
        if (roleKey.isBuiltIn()) throw new ConflictException("Built-in roles cannot be deleted.");
        tx.inTransaction(() -> {
            // locks: no member can be given the role while we check that nobody has it
            Grantor grantor = grants.lockAndRequire(caller, org, Permission.MEMBERSHIPS_MANAGE);
            Role role = roles.find(org, roleKey).orElseThrow(() -> new NotFoundException("No role " + key + "."));
            grantor.requireCanDelete(role);
            long holders = memberships.countWithRole(org, roleKey);
            if (holders > 0) {
                throw new ConflictException("The role " + key + " is held by " + holders
                        + " member(s); give them another role first.");
            }
            roles.delete(org, roleKey);
            audit.record(caller, org, "role.deleted", key, "");
        });
    }

    private static RoleKey parseExisting(String key) {
        try {
            return new RoleKey(key);
        } catch (InvalidInputException e) {
            throw new NotFoundException("No role " + key + ".");
        }
    }

    private static Set<Permission> permissions(List<String> values, List<FieldError> errors) {
        Set<Permission> result = new LinkedHashSet<>();
        if (values == null) return result;
        if (values.size() > Permission.ALL.size()) { // before looking at any: a client may send thousands
            errors.add(new FieldError("permissions", "must list at most " + Permission.ALL.size() + " permissions"));
            return result;
        }
        for (String value : values) {
            try {
                result.add(new Permission(value));
            } catch (InvalidInputException e) {
                errors.add(new FieldError("permissions", "unknown permission '" + value + "'"));
            }
        }
        return result;
    }

    private static String describe(Role role) {
        return "name=" + role.name() + " permissions="
                + role.permissions().stream().map(Permission::value).collect(Collectors.joining(","));
    }
}
