-- status=expired counts its keys (up to 10,001) in an index ordered by expiry (issue 28): the list's own index,
-- ordered by creation, would first step over every newer key that expires later. CREATE INDEX blocks writes to
-- api_keys (not reads) while it builds.
CREATE INDEX api_keys_unrevoked_by_expiry ON api_keys (organization_id, expires_at)
    WHERE revoked_at IS NULL AND expires_at IS NOT NULL;
