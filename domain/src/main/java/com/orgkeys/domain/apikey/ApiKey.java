package com.orgkeys.domain.apikey;

import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
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
 * <p>
 * Name, description and scopes can be edited, and a key disabled and enabled again, while it can still work: a
 * revoked or expired key never works again, so changing it would only rewrite the record of what it was.
 *
 * @param disabledAt since when the key is disabled (refused like a revoked key, but reversibly); empty: enabled
 * @param updatedAt  the last change of its settings, state or revocation (its creation if none)
 * @param allowlist  the client addresses it may be used from (anywhere when empty)
 * @param rateLimit  its own rate limit; empty: its organization's default, if any
 */
public record ApiKey(ApiKeyId id, OrganizationId organizationId, String name, String description,
                     Set<Permission> scopes, String secretHash, String hint, Actor createdBy, Instant createdAt,
                     Optional<Instant> expiresAt, Optional<Instant> lastUsedAt, Optional<Instant> revokedAt,
                     Optional<String> revocationReason, Optional<Instant> disabledAt, Instant updatedAt,
                     IpAllowlist allowlist, Optional<RateLimit> rateLimit) {
    public static final Duration MAX_LIFETIME = Duration.ofDays(3653);

    /** A key never disabled nor changed since {@code createdAt} (or since its revocation, if revoked). */
    public ApiKey(ApiKeyId id, OrganizationId organizationId, String name, String description, Set<Permission> scopes,
                  String secretHash, String hint, Actor createdBy, Instant createdAt, Optional<Instant> expiresAt,
                  Optional<Instant> lastUsedAt, Optional<Instant> revokedAt, Optional<String> revocationReason) {
        this(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt, expiresAt,
                lastUsedAt, revokedAt, revocationReason, Optional.empty(),
                revokedAt == null || createdAt == null ? createdAt : revokedAt.orElse(createdAt));
    }

    /** A key without traffic controls. */
    public ApiKey(ApiKeyId id, OrganizationId organizationId, String name, String description, Set<Permission> scopes,
                  String secretHash, String hint, Actor createdBy, Instant createdAt, Optional<Instant> expiresAt,
                  Optional<Instant> lastUsedAt, Optional<Instant> revokedAt, Optional<String> revocationReason,
                  Optional<Instant> disabledAt, Instant updatedAt) {
        this(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt, expiresAt,
                lastUsedAt, revokedAt, revocationReason, disabledAt, updatedAt, IpAllowlist.ANYWHERE, Optional.empty());
    }

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
        Objects.requireNonNull(disabledAt, "disabledAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(allowlist, "allowlist");
        Objects.requireNonNull(rateLimit, "rateLimit");
    }

    public ApiKeyStatus statusAt(Instant now) {
        return statusAt(revokedAt.isPresent(), disabledAt.isPresent(), expiresAt.orElse(null), now);
    }

    /**
     * The status of a key revoked or not, disabled or not, expiring at {@code expiresAt} (null: never), at
     * {@code now}. The final states win: a revoked key is revoked even if it was disabled first, and a disabled
     * key that expires is expired (enabling it could not make it work again).
     */
    public static ApiKeyStatus statusAt(boolean revoked, boolean disabled, Instant expiresAt, Instant now) {
        if (revoked) return ApiKeyStatus.REVOKED;
        if (expiresAt != null && !now.isBefore(expiresAt)) return ApiKeyStatus.EXPIRED;
        if (disabled) return ApiKeyStatus.DISABLED;
        return ApiKeyStatus.ACTIVE;
    }

    /** Whether this key can never work again (revoked or expired), and so may be deleted. */
    public boolean isFinishedAt(Instant now) {
        ApiKeyStatus status = statusAt(now);
        return status == ApiKeyStatus.REVOKED || status == ApiKeyStatus.EXPIRED;
    }

    /**
     * The key with new settings; a null argument leaves that setting as it is. Returns this key itself when
     * nothing changes (no write, no audit event). Refused (conflict) once the key is revoked or expired.
     */
    public ApiKey edit(String newName, String newDescription, Set<Permission> newScopes, Instant now) {
        requireChangeable(now, "edited");
        ApiKey edited = new ApiKey(id, organizationId, newName == null ? name : newName,
                newDescription == null ? description : newDescription, newScopes == null ? scopes : newScopes,
                secretHash, hint, createdBy, createdAt, expiresAt, lastUsedAt, revokedAt, revocationReason, disabledAt,
                now, allowlist, rateLimit);
        boolean same = edited.name.equals(name) && edited.description.equals(description) && edited.scopes.equals(scopes);
        return same ? this : edited;
    }

    /**
     * The key with new traffic controls (a null argument leaves that one as it is); this key itself when nothing
     * changes. Refused (conflict) once revoked or expired, as any edit.
     */
    public ApiKey withTraffic(IpAllowlist newAllowlist, Optional<RateLimit> newRateLimit, Instant now) {
        requireChangeable(now, "edited");
        IpAllowlist a = newAllowlist == null ? allowlist : newAllowlist;
        Optional<RateLimit> r = newRateLimit == null ? rateLimit : newRateLimit;
        if (a.equals(allowlist) && r.equals(rateLimit)) return this;
        return new ApiKey(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt,
                expiresAt, lastUsedAt, revokedAt, revocationReason, disabledAt, now, a, r);
    }

    /** Disabling a disabled key changes nothing (its first time stands); refused once revoked or expired. */
    public ApiKey disable(Instant now) {
        requireChangeable(now, "disabled");
        if (disabledAt.isPresent()) return this;
        return new ApiKey(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt,
                expiresAt, lastUsedAt, revokedAt, revocationReason, Optional.of(now), now, allowlist, rateLimit);
    }

    /** Enabling an enabled key changes nothing; refused once revoked or expired (nothing would make it work). */
    public ApiKey enable(Instant now) {
        requireChangeable(now, "enabled");
        if (disabledAt.isEmpty()) return this;
        return new ApiKey(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt,
                expiresAt, lastUsedAt, revokedAt, revocationReason, Optional.empty(), now, allowlist, rateLimit);
    }

    /** The same key, last used at {@code at}. */
    public ApiKey usedAt(Instant at) {
        return new ApiKey(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt,
                expiresAt, Optional.of(at), revokedAt, revocationReason, disabledAt, updatedAt, allowlist, rateLimit);
    }

    private void requireChangeable(Instant now, String what) {
        ApiKeyStatus status = statusAt(now);
        if (status == ApiKeyStatus.REVOKED || status == ApiKeyStatus.EXPIRED) {
            throw new ConflictException("The API key " + id + " is " + status.value() + " and cannot be " + what
                    + ": a " + status.value() + " key never works again. Create a new key instead.");
        }
    }

    /** Revoking again changes nothing: the first time and reason stand. */
    public ApiKey revoke(Optional<String> reason, Instant now) {
        if (revokedAt.isPresent()) return this;
        Optional<String> cleanReason = reason.map(r -> Text.multiLine("reason", r, 500)).filter(r -> !r.isEmpty());
        return new ApiKey(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt,
                expiresAt, lastUsedAt, Optional.of(now), cleanReason, disabledAt, now, allowlist, rateLimit);
    }

    private static Set<Permission> ordered(Set<Permission> scopes) {
        Objects.requireNonNull(scopes, "scopes");
        Set<Permission> result = new LinkedHashSet<>();
        for (Permission p : Permission.ALL) if (scopes.contains(p)) result.add(p);
        return Collections.unmodifiableSet(result);
    }
}
