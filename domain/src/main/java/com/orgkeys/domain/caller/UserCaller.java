package com.orgkeys.domain.caller;

import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A user signed in through a session; permissions are those of their role in the active organization. */
public record UserCaller(UserId userId, SessionId sessionId, Optional<OrganizationId> organizationId,
                         Optional<RoleKey> role, Set<Permission> permissions, String clientAddress) implements Caller {
    public UserCaller {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(role, "role");
        permissions = Set.copyOf(permissions);
        clientAddress = clientAddress == null ? "" : clientAddress;
    }

    @Override
    public Actor actor() {
        return new Actor.UserActor(userId);
    }
}
