package com.orgkeys.domain.caller;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A program using an API key; its permissions are the key's scopes (for a user's key, no more than the user holds
 * now). {@code owner}: the user a user's key acts as, empty for an organization's key.
 */
public record ApiKeyCaller(UUID keyId, OrganizationId organization, Optional<UserId> owner, Set<Permission> permissions,
                           String clientAddress) implements Caller {
    public ApiKeyCaller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(owner, "owner");
        permissions = Set.copyOf(permissions);
        clientAddress = clientAddress == null ? "" : clientAddress;
    }

    /** An organization's key. */
    public ApiKeyCaller(UUID keyId, OrganizationId organization, Set<Permission> permissions, String clientAddress) {
        this(keyId, organization, Optional.empty(), permissions, clientAddress);
    }

    @Override
    public Optional<OrganizationId> organizationId() {
        return Optional.of(organization);
    }

    @Override
    public Actor actor() {
        return new Actor.ApiKeyActor(new ApiKeyId(keyId));
    }
}
