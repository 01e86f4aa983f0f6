package com.orgkeys.domain.caller;

import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ForbiddenException;

import java.util.Optional;
import java.util.Set;

/**
 * Who is asking: a signed-in user (with the active organization of their session) or an API key (with its
 * organization). Every use case takes one and checks what it needs itself.
 */
public sealed interface Caller permits UserCaller, ApiKeyCaller, SecretKeyCaller {
    /** The organization the request acts in, if any. */
    Optional<OrganizationId> organizationId();

    /** What this caller may do in {@link #organizationId()}. */
    Set<Permission> permissions();

    /** Who this caller is, for audit events and createdBy fields. */
    Actor actor();

    /** The client's network address, for audit events. */
    String clientAddress();

    default OrganizationId requireOrganization() {
        return organizationId().orElseThrow(() -> new ForbiddenException(
                "No active organization: create one or switch to one first."));
    }

    /** The organization, after checking that the caller holds {@code permission} in it. */
    default OrganizationId require(Permission permission) {
        OrganizationId organization = requireOrganization();
        if (!permissions().contains(permission)) {
            throw new ForbiddenException("Missing permission " + permission.value() + ".");
        }
        return organization;
    }

    default boolean has(Permission permission) {
        return organizationId().isPresent() && permissions().contains(permission);
    }
}
