package com.orgkeys.domain.caller;

import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A program using an organization API key; its scopes are its permissions. */
public record ApiKeyCaller(UUID keyId, OrganizationId organization, Set<Permission> permissions, String clientAddress)
        implements Caller {
    public ApiKeyCaller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(organization, "organization");
        permissions = Set.copyOf(permissions);
        clientAddress = clientAddress == null ? "" : clientAddress;
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
