package com.orgkeys.persistence.apikey;

import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.apikey.IpAllowlist;
import com.orgkeys.domain.apikey.RateLimit;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.persistence.apikey.listener.RevocationFeed;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.database.Keyset;
import com.orgkeys.persistence.database.Like;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

public final class JdbcApiKeyRepository implements ApiKeyRepository {
    /** A key's columns, as {@link #map} reads them. */
    public static final String COLUMNS = """
            id, organization_id, name, description, scopes, secret_hash, hint, created_by, created_at, expires_at,
            last_used_at, revoked_at, revocation_reason, disabled_at, updated_at, rotated_at, previous_secret_hash,
            previous_secret_expires_at, allowed_addresses, rate_limit_requests, rate_limit_window_seconds, owner_user_id""";
    /**
     * For verification: the key's columns, its rate limit falling back on its organization's default, and for a
     * user's key its owner's role there now (null: no longer a member) with a custom role's permissions (primary
     * key lookups: an organization's key joins nothing).
     */
    private static final String VERIFIED = """
            SELECT k.id, k.organization_id, k.name, k.description, k.scopes, k.secret_hash, k.hint, k.created_by,
                   k.created_at, k.expires_at, k.last_used_at, k.revoked_at, k.revocation_reason, k.disabled_at,
                   k.updated_at, k.rotated_at, k.previous_secret_hash, k.previous_secret_expires_at, k.allowed_addresses,
                   COALESCE(k.rate_limit_requests, o.api_key_rate_limit_requests) AS rate_limit_requests,
                   CASE WHEN k.rate_limit_requests IS NULL THEN o.api_key_rate_limit_window_seconds
                        ELSE k.rate_limit_window_seconds END AS rate_limit_window_seconds,
                   k.owner_user_id, m.role_key AS owner_role, r.permissions AS owner_role_permissions,
                   CASE WHEN k.owner_user_id IS NULL OR NOT o.two_factor_required THEN false
                        ELSE NOT EXISTS (SELECT 1 FROM totp_factors t WHERE t.user_id = k.owner_user_id
                                                                      AND t.confirmed_at IS NOT NULL)
                             AND NOT EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = k.owner_user_id)
                   END AS owner_second_factor_missing
            FROM api_keys k JOIN organizations o ON o.id = k.organization_id
            LEFT JOIN memberships m ON m.organization_id = k.organization_id AND m.user_id = k.owner_user_id
            LEFT JOIN roles r ON r.organization_id = m.organization_id AND r.key = m.role_key
            """;

    /** Newest first, ties by id: the order of api_keys_by_organization and the status filters' partial indexes. */
    private static final Keyset KEYSET = new Keyset("created_at", "id", true, UUID::fromString);
    /** What a search looks in: the expression of the trigram index api_keys_search_trgm. */
    private static final String SEARCHABLE = Like.searchable("name", "description", "hint");
    /** Keys per lastUsedAt statement: each statement is one short transaction, whatever the batch's size. */
    static final int LAST_USED_CHUNK = 5_000;

    private final Jdbc jdbc;

    public JdbcApiKeyRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(ApiKey key) {
        insert(key, null);
    }

    @Override
    public boolean insertOnce(ApiKey key, String requestHash) {
        return insert(key, requestHash) == 1;
    }

    /** A second key of one request waits for the first's transaction, then is not inserted (0 rows). */
    private int insert(ApiKey key, String requestHash) {
        return jdbc.update("""
                        INSERT INTO api_keys (id, organization_id, name, description, scopes, secret_hash, hint, created_by,
                                              created_at, expires_at, last_used_at, revoked_at, revocation_reason,
                                              request_hash, disabled_at, updated_at, rotated_at, previous_secret_hash,
                                              previous_secret_expires_at, allowed_addresses, rate_limit_requests,
                                              rate_limit_window_seconds, owner_user_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (organization_id, request_hash) WHERE request_hash IS NOT NULL DO NOTHING""",
                key.id().value(), key.organizationId().value(), key.name(), key.description(),
                key.scopes().stream().map(Permission::value).toList(), key.secretHash(), key.hint(), key.createdBy().value(),
                key.createdAt(), key.expiresAt().orElse(null), key.lastUsedAt().orElse(null),
                key.revokedAt().orElse(null), key.revocationReason().orElse(null), requestHash,
                key.disabledAt().orElse(null), key.updatedAt(), key.rotation().map(ApiKey.Rotation::rotatedAt).orElse(null),
                key.rotation().flatMap(ApiKey.Rotation::previousSecretHash).orElse(null),
                key.rotation().map(ApiKey.Rotation::previousSecretExpiresAt).orElse(null), key.allowlist().texts(),
                key.rateLimit().map(RateLimit::requests).orElse(null),
                key.rateLimit().map(RateLimit::windowSeconds).orElse(null),
                key.owner().map(UserId::value).orElse(null));
    }

    @Override
    public Optional<ApiKey> find(OrganizationId organizationId, ApiKeyId id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM api_keys WHERE organization_id = ? AND id = ?",
                JdbcApiKeyRepository::map, organizationId.value(), id.value());
    }

    @Override
    public Optional<OrganizationId> organizationOf(ApiKeyId id) {
        return jdbc.one("SELECT organization_id FROM api_keys WHERE id = ?",
                row -> new OrganizationId(Jdbc.uuid(row, "organization_id")), id.value());
    }

    @Override
    public Optional<ApiKey> findByHash(String secretHash) {
        // a probe of each unique index (a BitmapOr): the second one holds only the keys rotated with a grace period
        return jdbc.one(VERIFIED + "WHERE k.secret_hash = ? OR k.previous_secret_hash = ?",
                JdbcApiKeyRepository::mapVerified, secretHash, secretHash);
    }

    @Override
    public Map<String, ApiKey> findByHashes(Collection<String> secretHashes) {
        if (secretHashes.isEmpty()) return Map.of();
        Map<String, ApiKey> found = new HashMap<>();
        List<String> wanted = List.copyOf(secretHashes);
        for (ApiKey key : jdbc.list(VERIFIED + "WHERE k.secret_hash = ANY(?) OR k.previous_secret_hash = ANY(?)",
                JdbcApiKeyRepository::mapVerified, wanted, wanted)) {
            for (String hash : key.secretHashes()) if (wanted.contains(hash)) found.put(hash, key);
        }
        return found;
    }

    @Override
    public Page<ApiKey> page(OrganizationId organizationId, Filter filter, PageRequest page) {
        List<Object> params = new ArrayList<>(List.of(organizationId.value()));
        StringBuilder where = new StringBuilder("organization_id = ?");
        if (filter.text() != null) {
            where.append(" AND ").append(Like.contains(SEARCHABLE, filter.text(), params));
        }
        if (filter.status() == ApiKeyStatus.REVOKED) {
            where.append(" AND revoked_at IS NOT NULL");
        } else if (filter.status() == ApiKeyStatus.EXPIRED) {
            where.append(" AND revoked_at IS NULL AND expires_at <= ?");
            params.add(filter.now());
        } else if (filter.status() == ApiKeyStatus.ACTIVE) {
            where.append(" AND revoked_at IS NULL AND disabled_at IS NULL AND (expires_at IS NULL OR expires_at > ?)");
            params.add(filter.now());
        } else if (filter.status() == ApiKeyStatus.DISABLED) {
            where.append(" AND revoked_at IS NULL AND disabled_at IS NOT NULL AND (expires_at IS NULL OR expires_at > ?)");
            params.add(filter.now());
        }
        if (filter.subject() != null) {
            if (filter.subject().user().isPresent()) {
                where.append(" AND owner_user_id = ?");
                params.add(filter.subject().user().get().value());
            } else {
                where.append(" AND owner_user_id IS NULL");
            }
        }
        // a search's plan depends on its pattern (Jdbc.plannedForValues)
        return KEYSET.page(filter.text() != null ? jdbc.plannedForValues() : jdbc, COLUMNS, "api_keys", "api_keys",
                where.toString(), params, JdbcApiKeyRepository::map,
                page, filter.cursorList(organizationId), Page.countCap(filter.text()),
                // expires_at is in the status indexes: the keys not yet expired are skipped without reading them;
                // the expired ones are counted where V14's index holds them together, in its order
                switch (filter.status()) {
                    case EXPIRED -> Keyset.Plan.keysFirstCountedBy("expires_at");
                    case ACTIVE, DISABLED -> Keyset.Plan.KEYS_FIRST;
                    case null, default -> Keyset.Plan.DIRECT;
                });
    }

    @Override
    public boolean markRevoked(ApiKey key) {
        boolean revoked = jdbc.update("""
                        UPDATE api_keys SET revoked_at = ?, revocation_reason = ?, updated_at = ?
                        WHERE organization_id = ? AND id = ? AND revoked_at IS NULL""",
                key.revokedAt().orElse(null), key.revocationReason().orElse(null), key.updatedAt(),
                key.organizationId().value(), key.id().value()) == 1;
        if (revoked) key.secretHashes().forEach(this::notifyChanged);
        return revoked;
    }

    @Override
    public boolean update(ApiKey key) {
        boolean updated = jdbc.update("""
                        UPDATE api_keys SET name = ?, description = ?, scopes = ?, disabled_at = ?, updated_at = ?,
                                            allowed_addresses = ?, rate_limit_requests = ?, rate_limit_window_seconds = ?
                        WHERE organization_id = ? AND id = ? AND revoked_at IS NULL""",
                key.name(), key.description(), key.scopes().stream().map(Permission::value).toList(),
                key.disabledAt().orElse(null), key.updatedAt(), key.allowlist().texts(),
                key.rateLimit().map(RateLimit::requests).orElse(null),
                key.rateLimit().map(RateLimit::windowSeconds).orElse(null),
                key.organizationId().value(), key.id().value()) == 1;
        // the revocation feed carries every change: each process forgets the key and reads it again when next used
        if (updated) key.secretHashes().forEach(this::notifyChanged);
        return updated;
    }

    @Override
    public boolean describe(ApiKey key) {
        return jdbc.update("""
                        UPDATE api_keys SET name = ?, description = ?, updated_at = ?
                        WHERE organization_id = ? AND id = ? AND revoked_at IS NULL""",
                key.name(), key.description(), key.updatedAt(), key.organizationId().value(), key.id().value()) == 1;
    }

    @Override
    public boolean rotate(ApiKey rotated, String replacedSecretHash, Collection<String> forget) {
        ApiKey.Rotation rotation = rotated.rotation().orElseThrow(() -> new IllegalArgumentException("not rotated"));
        boolean stored = jdbc.update("""
                        UPDATE api_keys SET secret_hash = ?, hint = ?, rotated_at = ?, previous_secret_hash = ?,
                                            previous_secret_expires_at = ?, updated_at = ?
                        WHERE organization_id = ? AND id = ? AND revoked_at IS NULL AND secret_hash = ?""",
                rotated.secretHash(), rotated.hint(), rotation.rotatedAt(), rotation.previousSecretHash().orElse(null),
                rotation.previousSecretExpiresAt(), rotated.updatedAt(), rotated.organizationId().value(),
                rotated.id().value(), replacedSecretHash) == 1;
        // every process forgets the old secrets: the next use of one reads its grace end, or finds nothing
        if (stored) forget.forEach(this::notifyChanged);
        return stored;
    }

    @Override
    public boolean deleteFinished(OrganizationId organizationId, ApiKeyId id, Instant now) {
        Optional<String[]> hash = jdbc.one("""
                        DELETE FROM api_keys
                        WHERE organization_id = ? AND id = ? AND (revoked_at IS NOT NULL OR expires_at <= ?)
                        RETURNING secret_hash, previous_secret_hash""",
                row -> new String[]{row.getString("secret_hash"), row.getString("previous_secret_hash")},
                organizationId.value(), id.value(), now);
        hash.ifPresent(hashes -> {
            for (String h : hashes) if (h != null) notifyChanged(h);
        });
        return hash.isPresent();
    }

    @Override
    public List<ApiKey> revokeOwnedBy(UserId owner, Optional<OrganizationId> organization, String reason, Instant now) {
        // not the expired ones: they never work again anyway, and stay as they ended
        List<ApiKey> revoked = jdbc.list("UPDATE api_keys SET revoked_at = ?, revocation_reason = ?, updated_at = ?"
                        + " WHERE owner_user_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)"
                        + (organization.isPresent() ? " AND organization_id = ?" : "") + " RETURNING " + COLUMNS,
                JdbcApiKeyRepository::map, organization.isPresent()
                        ? new Object[]{now, reason, now, owner.value(), now, organization.get().value()}
                        : new Object[]{now, reason, now, owner.value(), now});
        for (ApiKey key : revoked) key.secretHashes().forEach(this::notifyChanged);
        return revoked;
    }

    @Override
    public int countWorkingOwnedBy(OrganizationId organization, UserId owner, Instant now) {
        return jdbc.one("SELECT count(*) AS n FROM api_keys WHERE organization_id = ? AND owner_user_id = ?"
                        + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
                row -> row.getInt("n"), organization.value(), owner.value(), now).orElse(0);
    }

    @Override
    public List<String> forgetOwnedBy(OrganizationId organization, UserId owner) {
        return jdbc.list(RevocationFeed.forgetKeysWhere(
                        "k.owner_user_id = ? AND k.organization_id = ? AND k.revoked_at IS NULL"),
                row -> row.getString("h"), owner.value(), organization.value());
    }

    @Override
    public List<String> forgetOwnedIn(OrganizationId organization) {
        return jdbc.list(RevocationFeed.forgetKeysWhere(
                        "k.organization_id = ? AND k.owner_user_id IS NOT NULL AND k.revoked_at IS NULL"),
                row -> row.getString("h"), organization.value());
    }

    @Override
    public List<String> forgetAllOwnedBy(UserId owner) {
        return jdbc.list(RevocationFeed.forgetKeysWhere("k.owner_user_id = ? AND k.revoked_at IS NULL"),
                row -> row.getString("h"), owner.value());
    }

    @Override
    public List<String> forgetOwnedByHoldersOf(OrganizationId organization, RoleKey role) {
        return jdbc.list(RevocationFeed.forgetKeysWhere("k.revoked_at IS NULL AND (k.owner_user_id, k.organization_id) IN"
                        + " (SELECT m.user_id, m.organization_id FROM memberships m"
                        + " WHERE m.organization_id = ? AND m.role_key = ?)"),
                row -> row.getString("h"), organization.value(), role.value());
    }

    @Override
    public Optional<RateLimit> defaultRateLimit(OrganizationId organizationId) {
        return jdbc.one("""
                        SELECT api_key_rate_limit_requests, api_key_rate_limit_window_seconds FROM organizations
                        WHERE id = ?""", row -> rateLimit(row, "api_key_rate_limit_requests",
                        "api_key_rate_limit_window_seconds"), organizationId.value()).flatMap(r -> r);
    }

    @Override
    public List<String> setDefaultRateLimit(OrganizationId organizationId, Optional<RateLimit> rateLimit) {
        jdbc.update("""
                        UPDATE organizations SET api_key_rate_limit_requests = ?, api_key_rate_limit_window_seconds = ?
                        WHERE id = ?""", rateLimit.map(RateLimit::requests).orElse(null),
                rateLimit.map(RateLimit::windowSeconds).orElse(null), organizationId.value());
        // every key of the organization that can still work, as deleting the organization does: each process
        // forgets them when this commits and reads them again (with the new default) when next used
        return jdbc.list(RevocationFeed.forgetKeysWhere("k.organization_id = ? AND k.revoked_at IS NULL"),
                row -> row.getString("h"), organizationId.value());
    }

    private static Optional<RateLimit> rateLimit(ResultSet row, String requests, String window) throws SQLException {
        int r = row.getInt(requests);
        if (row.wasNull()) return Optional.empty();
        return Optional.of(new RateLimit(r, row.getInt(window)));
    }

    /** Delivered to every listening process when the transaction commits (and never if it rolls back). */
    private void notifyChanged(String secretHash) {
        jdbc.count("SELECT count(pg_notify(?, ?)) + count(pg_notify(?, " + RevocationFeed.timedPayload("?") + "))",
                RevocationFeed.CHANNEL, secretHash, RevocationFeed.TIMED_CHANNEL, secretHash);
    }

    @Override
    public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
        if (lastUsed.isEmpty()) return;
        // Ids and times as two array parameters, so a statement's size does not grow with its keys (PostgreSQL
        // takes at most 65,535 parameters); in id order, so that two nodes lock shared rows in the same order; a
        // row whose time would not move is not rewritten.
        List<Map.Entry<ApiKeyId, Instant>> entries = new ArrayList<>(lastUsed.entrySet());
        entries.sort(Map.Entry.comparingByKey(Comparator.comparing(ApiKeyId::value)));
        for (int from = 0; from < entries.size(); from += LAST_USED_CHUNK) {
            List<Map.Entry<ApiKeyId, Instant>> chunk = entries.subList(from, Math.min(entries.size(), from + LAST_USED_CHUNK));
            jdbc.inTransaction(() -> {
                // Knowing the array's length, the planner hashes the whole table (a sequential scan per chunk, 1M
                // rows for 5,000 keys); an index lookup per key is what the work is: one short transaction each.
                jdbc.update("SET LOCAL enable_hashjoin = off");
                jdbc.update("SET LOCAL enable_mergejoin = off");
                return jdbc.update("""
                                UPDATE api_keys k SET last_used_at = u.at
                                FROM unnest(?::uuid[], ?::timestamptz[]) AS u(id, at)
                                WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)""",
                        chunk.stream().map(e -> e.getKey().value()).toList(), chunk.stream().map(Map.Entry::getValue).toList());
            });
        }
    }

    /** The key in a row of {@link #COLUMNS}. */
    public static ApiKey map(ResultSet row) throws SQLException {
        // rows from before V23 have no updated_at: their revocation or creation is their last change
        Instant updatedAt = Jdbc.instant(row, "updated_at");
        if (updatedAt == null) updatedAt = Jdbc.instant(row, "revoked_at");
        if (updatedAt == null) updatedAt = Jdbc.instant(row, "created_at");
        return new ApiKey(new ApiKeyId(Jdbc.uuid(row, "id")), new OrganizationId(Jdbc.uuid(row, "organization_id")),
                row.getString("name"), row.getString("description"),
                Jdbc.strings(row, "scopes").stream().map(Permission::new).collect(Collectors.toSet()),
                row.getString("secret_hash"), row.getString("hint"), Actor.of(row.getString("created_by")),
                Jdbc.instant(row, "created_at"), Optional.ofNullable(Jdbc.instant(row, "expires_at")),
                Optional.ofNullable(Jdbc.instant(row, "last_used_at")), Optional.ofNullable(Jdbc.instant(row, "revoked_at")),
                Optional.ofNullable(row.getString("revocation_reason")), Optional.ofNullable(Jdbc.instant(row, "disabled_at")),
                updatedAt, rotation(row), IpAllowlist.parse(Jdbc.strings(row, "allowed_addresses")),
                rateLimit(row, "rate_limit_requests", "rate_limit_window_seconds"),
                Optional.ofNullable(Jdbc.uuid(row, "owner_user_id")).map(UserId::new));
    }

    /** A row of {@link #VERIFIED}: a user's key with the scopes its owner holds now (none if no longer a member). */
    private static ApiKey mapVerified(ResultSet row) throws SQLException {
        ApiKey key = map(row);
        if (key.owner().isEmpty()) return key;
        String role = row.getString("owner_role");
        List<String> custom = Jdbc.strings(row, "owner_role_permissions");
        // held back by the organization's two-factor requirement, as the owner's session would be: no scopes
        Set<Permission> held = role == null || row.getBoolean("owner_second_factor_missing") ? Set.of() : Role.builtIn(new RoleKey(role)).map(Role::permissions)
                .orElseGet(() -> permissions(custom));
        return key.withScopes(key.effectiveScopes(held));
    }

    /** A custom role's stored permissions; one unknown to this version (a newer node wrote it) grants nothing. */
    private static Set<Permission> permissions(List<String> values) {
        Set<Permission> result = new java.util.HashSet<>();
        for (String value : values == null ? List.<String>of() : values) {
            try {
                result.add(new Permission(value));
            } catch (com.orgkeys.domain.shared.InvalidInputException e) {
                // skipped: see above
            }
        }
        return result;
    }

    private static Optional<ApiKey.Rotation> rotation(ResultSet row) throws SQLException {
        Instant rotatedAt = Jdbc.instant(row, "rotated_at");
        if (rotatedAt == null) return Optional.empty();
        return Optional.of(new ApiKey.Rotation(rotatedAt, Optional.ofNullable(row.getString("previous_secret_hash")),
                Jdbc.instant(row, "previous_secret_expires_at")));
    }
}
