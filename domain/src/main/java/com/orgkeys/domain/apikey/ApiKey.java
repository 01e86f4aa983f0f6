package com.orgkeys.domain.apikey;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Text;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An organization's API key. By default it belongs to the organization, not to its creator (who is only recorded),
 * so it keeps working when they leave. A user-owned key ({@code owner}) acts as its user instead: the intersection
 * of its scopes and what the user holds now, and it is revoked when the user leaves or is deleted. Its scopes are the permissions a request made with it has.
 * <p>
 * Name, description and scopes can be edited, and a key disabled and enabled again, while it can still work: a
 * revoked or expired key never works again, so changing it would only rewrite the record of what it was.
 *
 * @param disabledAt since when the key is disabled (refused like a revoked key, but reversibly); empty: enabled
 * @param updatedAt  the last change of its settings, state, secret or revocation (its creation if none)
 * @param rotation   the last time its secret was replaced, and until when the secret before works; empty: never
 * @param allowlist  the client addresses it may be used from (anywhere when empty)
 * @param rateLimit  its own rate limit; empty: its organization's default, if any
 * @param owner      the user it acts as (Clerk's {@code subject}), inside its organization and with no more than
 *                   that user holds there now; empty: the organization's own key
 */
public record ApiKey(ApiKeyId id, OrganizationId organizationId, String name, String description,
                     Set<Permission> scopes, String secretHash, String hint, Actor createdBy, Instant createdAt,
                     Optional<Instant> expiresAt, Optional<Instant> lastUsedAt, Optional<Instant> revokedAt,
                     Optional<String> revocationReason, Optional<Instant> disabledAt, Instant updatedAt,
                     Optional<Rotation> rotation, IpAllowlist allowlist, Optional<RateLimit> rateLimit,
                     Optional<UserId> owner) {
    public static final Duration MAX_LIFETIME = Duration.ofDays(3653);
    /** The longest time a replaced secret keeps working: long enough to redeploy over a week-end, not longer. */
    public static final Duration MAX_GRACE_PERIOD = Duration.ofDays(7);
    /** How long before its expiry a key's {@code apiKey.expiring} webhook event is sent. */
    public static final Duration EXPIRING_NOTICE_LEAD = Duration.ofDays(7);

    /**
     * A rotation: at {@code rotatedAt} the key got a new secret; the one before ({@code previousSecretHash}) works
     * until {@code previousSecretExpiresAt} (never past the key's own end). Only one old secret at a time: a second
     * rotation drops the first one's at once. A grace period of 0 stores no hash: the old secret stopped then.
     */
    public record Rotation(Instant rotatedAt, Optional<String> previousSecretHash, Instant previousSecretExpiresAt) {
        public Rotation {
            Objects.requireNonNull(rotatedAt, "rotatedAt");
            Objects.requireNonNull(previousSecretHash, "previousSecretHash");
            Objects.requireNonNull(previousSecretExpiresAt, "previousSecretExpiresAt");
        }

        /** The previous secret's hash while it still works at {@code now}. */
        public Optional<String> previousSecretHashAt(Instant now) {
            return now.isBefore(previousSecretExpiresAt) ? previousSecretHash : Optional.empty();
        }
    }

    /** A key never disabled nor changed since {@code createdAt} (or since its revocation, if revoked). */
    public ApiKey(ApiKeyId id, OrganizationId organizationId, String name, String description, Set<Permission> scopes,
                  String secretHash, String hint, Actor createdBy, Instant createdAt, Optional<Instant> expiresAt,
                  Optional<Instant> lastUsedAt, Optional<Instant> revokedAt, Optional<String> revocationReason) {
        this(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt, expiresAt,
                lastUsedAt, revokedAt, revocationReason, Optional.empty(),
                revokedAt == null || createdAt == null ? createdAt : revokedAt.orElse(createdAt));
    }

    /** A key never rotated, without traffic controls. */
    public ApiKey(ApiKeyId id, OrganizationId organizationId, String name, String description, Set<Permission> scopes,
                  String secretHash, String hint, Actor createdBy, Instant createdAt, Optional<Instant> expiresAt,
                  Optional<Instant> lastUsedAt, Optional<Instant> revokedAt, Optional<String> revocationReason,
                  Optional<Instant> disabledAt, Instant updatedAt) {
        this(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt, expiresAt,
                lastUsedAt, revokedAt, revocationReason, disabledAt, updatedAt, Optional.empty(),
                IpAllowlist.ANYWHERE, Optional.empty(), Optional.empty());
    }

    /** An organization's own key (no user owns it). */
    public ApiKey(ApiKeyId id, OrganizationId organizationId, String name, String description, Set<Permission> scopes,
                  String secretHash, String hint, Actor createdBy, Instant createdAt, Optional<Instant> expiresAt,
                  Optional<Instant> lastUsedAt, Optional<Instant> revokedAt, Optional<String> revocationReason,
                  Optional<Instant> disabledAt, Instant updatedAt, Optional<Rotation> rotation, IpAllowlist allowlist,
                  Optional<RateLimit> rateLimit) {
        this(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt, expiresAt,
                lastUsedAt, revokedAt, revocationReason, disabledAt, updatedAt, rotation, allowlist, rateLimit,
                Optional.empty());
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
        Objects.requireNonNull(rotation, "rotation");
        Objects.requireNonNull(allowlist, "allowlist");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(owner, "owner");
    }

    /** Whom this key acts as: its organization, or the user who owns it. */
    public ApiKeySubject subject() {
        return new ApiKeySubject(owner);
    }

    /**
     * The permissions a request made with this key has, given what its owner holds in the organization now
     * ({@code ownerPermissions}; ignored for an organization's key): a user's key never does more than its user
     * could, so a demotion narrows it at once, and it does nothing once its user holds nothing there.
     */
    public Set<Permission> effectiveScopes(Set<Permission> ownerPermissions) {
        if (owner.isEmpty()) return scopes;
        Set<Permission> effective = new LinkedHashSet<>(scopes);
        effective.retainAll(ownerPermissions);
        return Collections.unmodifiableSet(effective);
    }

    /** The same key owned by {@code user} (a key is made for its owner: the owner never changes afterwards). */
    public ApiKey ownedBy(UserId user) {
        return new ApiKey(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt,
                expiresAt, lastUsedAt, revokedAt, revocationReason, disabledAt, updatedAt, rotation, allowlist,
                rateLimit, Optional.of(user));
    }

    /** The same key carrying {@code scopes} (verification: a user's key with only those its user still holds). */
    public ApiKey withScopes(Set<Permission> scopes) {
        return new ApiKey(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt,
                expiresAt, lastUsedAt, revokedAt, revocationReason, disabledAt, updatedAt, rotation, allowlist,
                rateLimit, owner);
    }

    /** The hashes under which this key may be found: its secret's, and the previous secret's if one was kept. */
    public List<String> secretHashes() {
        return rotation.flatMap(Rotation::previousSecretHash).map(previous -> List.of(secretHash, previous))
                .orElse(List.of(secretHash));
    }

    /**
     * Until when the secret with this hash works, as far as the secret goes (the key's status aside): the key's
     * expiry for its current secret; for the previous one, the end of its grace period (or the key's, if sooner).
     * Empty: no end. Call only with one of {@link #secretHashes()}.
     */
    public Optional<Instant> secretExpiresAt(String hash) {
        if (hash.equals(secretHash) || rotation.isEmpty()) return expiresAt;
        Instant graceEnd = rotation.get().previousSecretExpiresAt();
        return Optional.of(expiresAt.filter(e -> e.isBefore(graceEnd)).orElse(graceEnd));
    }

    /** Refuses (invalid input) a grace period below 0 or above {@link #MAX_GRACE_PERIOD}. */
    public static Duration requireGracePeriod(Duration gracePeriod) {
        if (gracePeriod.isNegative() || gracePeriod.compareTo(MAX_GRACE_PERIOD) > 0) {
            throw new InvalidInputException(List.of(new FieldError("gracePeriod",
                    "must be 0–" + MAX_GRACE_PERIOD.toSeconds() + " (7 days)")));
        }
        return gracePeriod;
    }

    /**
     * The key with the new secret {@code newSecretHash} (hint {@code newHint}); the current one works for
     * {@code gracePeriod} more (0: it stops now), and one kept from an earlier rotation stops now. Only an active key
     * can be rotated: a revoked or expired one never works again, and a disabled one is to be enabled first (a new
     * secret for a key nobody may use would show that the rotation changed nothing).
     */
    public ApiKey rotate(String newSecretHash, String newHint, Duration gracePeriod, Instant now) {
        requireGracePeriod(gracePeriod);
        ApiKeyStatus status = statusAt(now);
        if (status != ApiKeyStatus.ACTIVE) {
            throw new ConflictException("The API key " + id + " is " + status.value() + " and cannot be rotated: "
                    + (status == ApiKeyStatus.DISABLED ? "enable it first." : "a " + status.value()
                    + " key never works again. Create a new key instead."));
        }
        Rotation next = new Rotation(now, gracePeriod.isZero() ? Optional.empty() : Optional.of(secretHash),
                now.plus(gracePeriod));
        return new ApiKey(id, organizationId, name, description, scopes, newSecretHash, newHint, createdBy, createdAt,
                expiresAt, lastUsedAt, revokedAt, revocationReason, disabledAt, now, Optional.of(next), allowlist,
                rateLimit, owner);
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

    /**
     * Whether {@code apiKey.expiring} is to be sent about this key at {@code now}: it is in the last
     * {@link #EXPIRING_NOTICE_LEAD} before its expiry, not revoked, and was made with more than that left (whoever
     * made a key to last a few days knows it ends soon). A disabled key too: it still expires (enabling it keeps
     * its expiry). Never once it has expired: then only {@code apiKey.expired} is owed.
     */
    public boolean owesExpiringNoticeAt(Instant now) {
        if (expiresAt.isEmpty() || revokedAt.isPresent()) return false;
        Instant due = expiresAt.get().minus(EXPIRING_NOTICE_LEAD);
        return createdAt.isBefore(due) && !now.isBefore(due) && now.isBefore(expiresAt.get());
    }

    /** Whether {@code apiKey.expired} is owed at {@code now}: its expiry has passed and it was not revoked. */
    public boolean owesExpiredNoticeAt(Instant now) {
        return statusAt(now) == ApiKeyStatus.EXPIRED;
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
                now, rotation, allowlist, rateLimit, owner);
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
                expiresAt, lastUsedAt, revokedAt, revocationReason, disabledAt, now, rotation, a, r, owner);
    }

    /** Disabling a disabled key changes nothing (its first time stands); refused once revoked or expired. */
    public ApiKey disable(Instant now) {
        requireChangeable(now, "disabled");
        if (disabledAt.isPresent()) return this;
        return new ApiKey(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt,
                expiresAt, lastUsedAt, revokedAt, revocationReason, Optional.of(now), now, rotation, allowlist, rateLimit, owner);
    }

    /** Enabling an enabled key changes nothing; refused once revoked or expired (nothing would make it work). */
    public ApiKey enable(Instant now) {
        requireChangeable(now, "enabled");
        if (disabledAt.isEmpty()) return this;
        return new ApiKey(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt,
                expiresAt, lastUsedAt, revokedAt, revocationReason, Optional.empty(), now, rotation, allowlist, rateLimit, owner);
    }

    /** The same key, last used at {@code at}. */
    public ApiKey usedAt(Instant at) {
        return new ApiKey(id, organizationId, name, description, scopes, secretHash, hint, createdBy, createdAt,
                expiresAt, Optional.of(at), revokedAt, revocationReason, disabledAt, updatedAt, rotation, allowlist, rateLimit, owner);
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
                expiresAt, lastUsedAt, Optional.of(now), cleanReason, disabledAt, now, rotation, allowlist, rateLimit, owner);
    }

    private static Set<Permission> ordered(Set<Permission> scopes) {
        Objects.requireNonNull(scopes, "scopes");
        Set<Permission> result = new LinkedHashSet<>();
        for (Permission p : Permission.ALL) if (scopes.contains(p)) result.add(p);
        return Collections.unmodifiableSet(result);
    }
}
