-- Keyset pagination (issue 28): every list is ordered by its time and a unique tie-breaker in the same direction,
-- so that `(created_at, id) < (?, ?)` starts any page with one range scan of an index in that order.
-- Flyway runs a migration in one transaction, and locks are held until it commits: each CREATE INDEX blocks writes
-- to its table (not reads) while it builds; a DROP INDEX blocks reads too, so the indexes this replaces are built
-- under new names first and dropped (then the new ones renamed) only at the very end, just before the commit.

-- API keys: newest first, ties by id descending (it was `id` ascending, which no row comparison can follow).
CREATE INDEX api_keys_by_organization_v9 ON api_keys (organization_id, created_at DESC, id DESC);
CREATE INDEX api_keys_revoked_by_organization_v9 ON api_keys (organization_id, created_at DESC, id DESC)
    WHERE revoked_at IS NOT NULL;
CREATE INDEX api_keys_expiring_by_organization_v9 ON api_keys (organization_id, created_at DESC, id DESC)
    INCLUDE (expires_at) WHERE revoked_at IS NULL AND expires_at IS NOT NULL;
-- status=active: the keys not revoked, with expires_at to filter on (and count) without reading the table.
CREATE INDEX api_keys_unrevoked_by_organization ON api_keys (organization_id, created_at DESC, id DESC)
    INCLUDE (expires_at) WHERE revoked_at IS NULL;

-- Agents: agents_newest_first (organization_id, created_at DESC, seq DESC) serves the list already; the search's
-- `name/description/id ILIKE '%…%'` gets trigram indexes, as the API key search has.
CREATE INDEX agents_name_trgm ON agents USING gin (name gin_trgm_ops);
CREATE INDEX agents_description_trgm ON agents USING gin (description gin_trgm_ops);
CREATE INDEX agents_id_trgm ON agents USING gin (id gin_trgm_ops);

-- Members: oldest membership first, ties by user id.
CREATE INDEX memberships_oldest_first ON memberships (organization_id, joined_at, user_id);

-- Audit events: newest first, ties by id descending.
CREATE INDEX audit_events_newest_first ON audit_events (organization_id, occurred_at DESC, id DESC);

-- The replaced indexes go last (a DROP INDEX locks its table until the commit, which follows at once).
DROP INDEX audit_events_organization_idx;
DROP INDEX api_keys_by_organization;
DROP INDEX api_keys_revoked_by_organization;
DROP INDEX api_keys_expiring_by_organization;
ALTER INDEX api_keys_by_organization_v9 RENAME TO api_keys_by_organization;
ALTER INDEX api_keys_revoked_by_organization_v9 RENAME TO api_keys_revoked_by_organization;
ALTER INDEX api_keys_expiring_by_organization_v9 RENAME TO api_keys_expiring_by_organization;
