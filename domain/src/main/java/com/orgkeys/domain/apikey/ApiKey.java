package com.orgkeys.domain.apikey;

import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Text;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An organization's API key. It belongs to the organization, not to its creator (who is only recorded), so it
 * keeps working when they leave. Its scopes are the permissions a request made with it has.
 */
public record ApiKey(ApiKeyId id, OrganizationId organizationId, String name, String description,
                     Set<Permission> scopes, String secretHash, String hint, Actor createdBy, Instant createdAt,
                     Optional<Instant> expiresAt, Optional<Instant> lastUsedAt, Optional<Instant> revokedAt,
                     Optional<String> revocationReason) {
    public static final Duration MAX_LIFETIME = Duration.ofDays(3653);

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        name = Text.singleLine("name", name, 100);
        description = Text.multiLine("description", description, 1000);
        scopes = ordered(scopes);
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(revocationReason, "revocationReason");
    }

    public ApiKeyStatus statusAt(Instant now) {
        return statusAt(revokedAt.isPresent(), expiresAt.orElse(null), now);
    }

    /** The status of a key revoked or not, expiring at {@code expiresAt} (null: never), at {@code now}. */
    public static ApiKeyStatus statusAt(boolean revoked, Instant expiresAt, Instant now) {
        if (revoked) return ApiKeyStatus.REVOKED;
        if (expiresAt != null && !now.isBefore(expiresAt)) return ApiKeyStatus.EXPIRED;
        return ApiKeyStatus.ACTIVE;
    }

    /** Revoking again changes nothing: the first time and reason stand. */
    public ApiKey revoke(Optional<String> reason, Instant now) {
        if (revokedAt.isPresent()) return this;
        Optional<String> cleanReason = reason.map(r -> Text.multiLine("reason", r, 500)).filter(r -> !r.isEmpty());
        return new ApiKey(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt,
                expiresAt, lastUsedAt, Optional.of(now), cleanReason);
    }

    private static Set<Permission> ordered(Set<Permission> scopes) {
        Objects.requireNonNull(scopes, "scopes");
        Set<Permission> result = new LinkedHashSet<>();
        for (Permission p : Permission.ALL) if (scopes.contains(p)) result.add(p);
        return Collections.unmodifiableSet(result);
    }
}
