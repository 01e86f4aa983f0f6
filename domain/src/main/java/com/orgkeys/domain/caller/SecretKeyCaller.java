package com.orgkeys.domain.caller;

import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.secretkey.SecretKeyId;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The team's own backend, with an instance-level secret key, acting in the organization a backend API request names
 * (Clerk's {@code subject}; none when it names a key by id only, until {@link #in} binds the key's organization).
 * It holds every permission there: a secret key is the instance's operator, as in Clerk.
 */
public record SecretKeyCaller(SecretKeyId keyId, Optional<OrganizationId> organizationId, String clientAddress)
        implements Caller {
    private static final Set<Permission> EVERY_PERMISSION = Set.copyOf(Permission.ALL);

    public SecretKeyCaller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(organizationId, "organizationId");
        clientAddress = clientAddress == null ? "" : clientAddress;
    }

    /** The same key acting in {@code organization}. */
    public SecretKeyCaller in(OrganizationId organization) {
        return new SecretKeyCaller(keyId, Optional.of(organization), clientAddress);
    }

    @Override
    public Set<Permission> permissions() {
        return EVERY_PERMISSION;
    }

    @Override
    public Actor actor() {
        return new Actor.SecretKeyActor(keyId);
    }
}
