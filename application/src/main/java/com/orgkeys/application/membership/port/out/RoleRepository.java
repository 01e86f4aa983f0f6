package com.orgkeys.application.membership.port.out;

import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;

import java.util.List;
import java.util.Optional;

/** The custom roles of each organization (the built-in ones are not stored). */
public interface RoleRepository {
    /** Custom roles, by key. */
    List<Role> list(OrganizationId organizationId);

    Optional<Role> find(OrganizationId organizationId, RoleKey key);

    /** @throws com.orgkeys.domain.shared.ConflictException when the key exists */
    void insert(OrganizationId organizationId, Role role);

    void update(OrganizationId organizationId, Role role);

    void delete(OrganizationId organizationId, RoleKey key);
}
