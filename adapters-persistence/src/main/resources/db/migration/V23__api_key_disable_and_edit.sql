-- API keys, part two (issue 25): a key can be disabled and enabled again, and edited; updated_at says when it last
-- changed (null for rows from before: their creation, or revocation). Adding nullable columns rewrites nothing.
ALTER TABLE api_keys ADD COLUMN disabled_at TIMESTAMPTZ, ADD COLUMN updated_at TIMESTAMPTZ;

-- status=disabled (the data-growth issue: an index for every filter), with expires_at to leave out the keys
-- expired since without reading the table, as status=active does.
CREATE INDEX api_keys_disabled_by_organization ON api_keys (organization_id, created_at DESC, id DESC)
    INCLUDE (expires_at) WHERE revoked_at IS NULL AND disabled_at IS NOT NULL;
-- status=active no longer holds disabled keys: its index (V9's api_keys_unrevoked_by_organization) is replaced
-- by one without them, built first and the old one dropped last (a DROP INDEX locks the table until the commit).
CREATE INDEX api_keys_usable_by_organization ON api_keys (organization_id, created_at DESC, id DESC)
    INCLUDE (expires_at) WHERE revoked_at IS NULL AND disabled_at IS NULL;
DROP INDEX api_keys_unrevoked_by_organization;
