-- Indexes for the API key list's search and status filters (issue 28). Each CREATE INDEX blocks writes to
-- api_keys while it builds (Flyway runs a migration in a transaction, where CONCURRENTLY is not allowed).

-- The search's `name/description/hint ILIKE '%…%'`: trigram indexes on each column (combined with a BitmapOr);
-- the organization filter is applied to the few rows they find. pg_trgm is trusted: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX api_keys_name_trgm ON api_keys USING gin (name gin_trgm_ops);
CREATE INDEX api_keys_description_trgm ON api_keys USING gin (description gin_trgm_ops);
CREATE INDEX api_keys_hint_trgm ON api_keys USING gin (hint gin_trgm_ops);

-- status=revoked, in the list's order (newest first).
CREATE INDEX api_keys_revoked_by_organization ON api_keys (organization_id, created_at DESC, id)
    WHERE revoked_at IS NOT NULL;
-- status=expired (only keys with an expiry can be expired; expires_at included so counting needs no table reads).
-- status=active, most keys usually, is served by api_keys_by_organization.
CREATE INDEX api_keys_expiring_by_organization ON api_keys (organization_id, created_at DESC, id) INCLUDE (expires_at)
    WHERE revoked_at IS NULL AND expires_at IS NOT NULL;
