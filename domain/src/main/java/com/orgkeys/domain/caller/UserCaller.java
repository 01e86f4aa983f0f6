package com.orgkeys.domain.caller;

import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.TwoFactorRequiredException;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A user signed in through a session; permissions are those of their role in the active organization.
 * {@code secondFactorMissing}: the active organization requires two-factor sign-in and the user has no enabled
 * second factor (as stored when the session was read); then {@link #requireOrganization()} (so every permission
 * check) refuses with {@link TwoFactorRequiredException} and {@link #has} is false.
 */
public record UserCaller(UserId userId, SessionId sessionId, Optional<OrganizationId> organizationId,
                         Optional<RoleKey> role, Set<Permission> permissions, String clientAddress,
                         boolean secondFactorMissing) implements Caller {
    public UserCaller {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(role, "role");
        permissions = Set.copyOf(permissions);
        clientAddress = clientAddress == null ? "" : clientAddress;
        secondFactorMissing = secondFactorMissing && organizationId.isPresent();
    }

    /** A user whose active organization (if any) does not hold them back for a missing second factor. */
    public UserCaller(UserId userId, SessionId sessionId, Optional<OrganizationId> organizationId,
                      Optional<RoleKey> role, Set<Permission> permissions, String clientAddress) {
        this(userId, sessionId, organizationId, role, permissions, clientAddress, false);
    }

    @Override
    public OrganizationId requireOrganization() {
        OrganizationId organization = organizationId().orElseThrow(() -> new ForbiddenException(
                "No active organization: create one or switch to one first."));
        if (secondFactorMissing) throw new TwoFactorRequiredException();
        return organization;
    }

    /**
     * The active organization, even when it holds the user back for a missing second factor: only for what such a
     * user may still do there (leave it).
     */
    public OrganizationId requireMembership() {
        return organizationId().orElseThrow(() -> new ForbiddenException(
                "No active organization: create one or switch to one first."));
    }

    @Override
    public boolean has(Permission permission) {
        return !secondFactorMissing && Caller.super.has(permission);
    }

    @Override
    public Actor actor() {
        return new Actor.UserActor(userId);
    }
}
