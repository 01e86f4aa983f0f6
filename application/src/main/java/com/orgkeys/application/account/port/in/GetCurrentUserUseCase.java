package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The signed-in user, their active organization and every organization they belong to. */
public interface GetCurrentUserUseCase {
    record OrganizationWithRole(Organization organization, RoleKey role, Set<Permission> permissions) {
    }

    record CurrentUser(User user, Optional<OrganizationId> activeOrganizationId, List<OrganizationWithRole> organizations) {
    }

    CurrentUser currentUser(UserCaller caller);
}
