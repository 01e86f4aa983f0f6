package com.orgkeys.domain.membership;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.organization.OrganizationId;

import java.time.Instant;
import java.util.Objects;

/** A user's place in an organization: one role each. */
public record Membership(OrganizationId organizationId, UserId userId, RoleKey role, Instant joinedAt) {
    public Membership {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(joinedAt, "joinedAt");
    }

    public boolean isAdmin() {
        return role.equals(RoleKey.ADMIN);
    }
}
