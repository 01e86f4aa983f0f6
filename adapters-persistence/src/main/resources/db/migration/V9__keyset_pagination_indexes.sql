-- Keyset pagination (issue 28): every list is ordered by its time and a unique tie-breaker in the same direction,
-- so that `(created_at, id) < (?, ?)` starts any page with one range scan of an index in that order. Each CREATE
-- INDEX blocks writes to its table while it builds (Flyway runs a migration in a transaction).

-- API keys: newest first, ties by id descending (it was `id` ascending, which no row comparison can follow).
DROP INDEX api_keys_by_organization;
CREATE INDEX api_keys_by_organization ON api_keys (organization_id, created_at DESC, id DESC);
DROP INDEX api_keys_revoked_by_organization;
CREATE INDEX api_keys_revoked_by_organization ON api_keys (organization_id, created_at DESC, id DESC)
    WHERE revoked_at IS NOT NULL;
DROP INDEX api_keys_expiring_by_organization;
CREATE INDEX api_keys_expiring_by_organization ON api_keys (organization_id, created_at DESC, id DESC)
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
DROP INDEX audit_events_organization_idx;
CREATE INDEX audit_events_newest_first ON audit_events (organization_id, occurred_at DESC, id DESC);
