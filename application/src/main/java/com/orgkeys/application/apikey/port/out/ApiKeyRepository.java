package com.orgkeys.application.apikey.port.out;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeySubject;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.apikey.RateLimit;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

public interface ApiKeyRepository {
    /**
     * Which keys a list shows: {@code text} matches name, description or hint (case-insensitive); {@code subject}:
     * the organization's own keys or one user's; null = any.
     */
    record Filter(String text, ApiKeyStatus status, Instant now, ApiKeySubject subject) {
        public Filter(String text, ApiKeyStatus status, Instant now) {
            this(text, status, now, null);
        }

        /** The list's fingerprint for its cursors (as before subjects, when no subject is asked). */
        public String cursorList(OrganizationId organizationId) {
            return subject == null ? com.orgkeys.domain.shared.Cursor.list("api-keys", organizationId, text, status)
                    : com.orgkeys.domain.shared.Cursor.list("api-keys", organizationId, text, status, subject);
        }
    }

    void insert(ApiKey key);

    /**
     * Stores {@code key} as made by the request {@code requestHash} (the hash of an idempotency key) unless its
     * organization already has a key made by that request, also on another node; returns whether it stored it.
     */
    boolean insertOnce(ApiKey key, String requestHash);

    Optional<ApiKey> find(OrganizationId organizationId, ApiKeyId id);

    /** The organization a key belongs to: only for a backend secret key, which acts in every organization. */
    Optional<OrganizationId> organizationOf(ApiKeyId id);

    /**
     * The lookup on every authenticated request: the key whose secret, or previous secret kept by a rotation (ended
     * or not: the caller checks), has this hash, through unique indexes. The key as verification applies it: without
     * a rate limit of its own it carries its organization's default, if any; a user's key carries only those of its
     * scopes that its owner holds in its organization now (none once they are no longer a member).
     */
    Optional<ApiKey> findByHash(String secretHash);

    /** Many lookups in one go: the keys found by {@link #findByHash} among {@code secretHashes}, by the hash asked. */
    Map<String, ApiKey> findByHashes(Collection<String> secretHashes);

    /** The rate limit of the organization's keys that have none of their own; empty: none. */
    Optional<RateLimit> defaultRateLimit(OrganizationId organizationId);

    /**
     * Stores the organization's default rate limit and, when the transaction commits, tells verification in every
     * process to forget what it remembers of the organization's keys (as {@link #update} does for one). Returns the
     * secret hashes of those keys, for this process to forget them too.
     */
    java.util.List<String> setDefaultRateLimit(OrganizationId organizationId, Optional<RateLimit> rateLimit);

    /** Newest first. */
    Page<ApiKey> page(OrganizationId organizationId, Filter filter, PageRequest page);

    /**
     * Stores the revocation of {@code revoked} unless the key is revoked already (the first revocation wins,
     * also between concurrent requests). Returns whether this call revoked it.
     */
    boolean markRevoked(ApiKey revoked);

    /**
     * Stores {@code key}'s name, description, scopes, allowlist, rate limit, disabledAt and updatedAt unless it is revoked meanwhile; tells
     * verification in every process that shares the database to forget what it remembers of the key, as a
     * revocation does, when the transaction commits. Returns whether it stored it.
     */
    boolean update(ApiKey key);

    /**
     * Stores {@code key}'s name, description and updatedAt unless it is revoked meanwhile, and nothing else: no
     * process is told to forget the key, since verification returns neither (a rename must not cost what a
     * revocation does: every told change is a commit PostgreSQL serializes with every other). Returns whether it
     * stored it.
     */
    boolean describe(ApiKey key);

    /**
     * Stores {@code rotated}'s secret, hint, rotation and updatedAt unless the key is revoked or its secret is no longer
     * {@code replacedSecretHash} (another rotation won); tells every process to forget what it remembers under each
     * of {@code forget} when the transaction commits. Returns whether it stored it.
     */
    boolean rotate(ApiKey rotated, String replacedSecretHash, Collection<String> forget);

    /**
     * Deletes the key if it is revoked or expired at {@code now} (so no working key is ever deleted, also between
     * concurrent requests), telling every process as {@link #update} does. Returns whether this call deleted it.
     */
    boolean deleteFinished(OrganizationId organizationId, ApiKeyId id, Instant now);

    /** How many of {@code owner}'s keys in the organization work or could again (not revoked, not expired at {@code now}). */
    int countWorkingOwnedBy(OrganizationId organization, UserId owner, Instant now);

    /**
     * Revokes (with {@code reason}, at {@code now}) every key {@code owner} owns that can still work, in
     * {@code organization} or, when empty, in every organization; tells every process to forget them when the
     * transaction commits, as {@link #markRevoked} does. Returns the keys it revoked, as revoked.
     */
    java.util.List<ApiKey> revokeOwnedBy(UserId owner, Optional<OrganizationId> organization, String reason, Instant now);

    /**
     * Tells every process, when the transaction commits, to forget what it remembers of {@code owner}'s keys in
     * {@code organization} (their permissions there changed: the keys are read again, with them, when next used).
     * Returns their secret hashes, for this process to forget them too.
     */
    java.util.List<String> forgetOwnedBy(OrganizationId organization, UserId owner);

    /** As {@link #forgetOwnedBy}, for the keys of every member who holds {@code role} in {@code organization}. */
    java.util.List<String> forgetOwnedByHoldersOf(OrganizationId organization, RoleKey role);

    /** As {@link #forgetOwnedBy}, for every user's key of {@code organization} (its two-factor requirement changed). */
    java.util.List<String> forgetOwnedIn(OrganizationId organization);

    /** As {@link #forgetOwnedBy}, for {@code owner}'s keys in every organization (their second factors changed). */
    java.util.List<String> forgetAllOwnedBy(UserId owner);

    /**
     * Moves lastUsedAt forward (never back) for many keys, any number of them (the adapter splits them into
     * statements of bounded size). On failure some may have been written: writing them again is harmless.
     */
    void recordLastUsed(Map<ApiKeyId, Instant> lastUsed);
}
