package com.orgkeys.domain.membership;

import com.orgkeys.domain.organization.Organization;

/** One of a user's organizations with the role they hold there. */
public record UserOrganization(Organization organization, RoleKey role) {
}
