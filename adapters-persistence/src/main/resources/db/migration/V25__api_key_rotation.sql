-- API key rotation (issue 25): a key's secret can be replaced, the previous one working for a grace period.
-- Only one previous secret at a time; its hash stays until the next rotation (past its end it is simply refused).
ALTER TABLE api_keys ADD COLUMN rotated_at TIMESTAMPTZ, ADD COLUMN previous_secret_hash TEXT,
    ADD COLUMN previous_secret_expires_at TIMESTAMPTZ;

-- Verification finds a key by either of its secrets: one more unique index, holding only rotated keys' old hashes.
CREATE UNIQUE INDEX api_keys_previous_secret_hash ON api_keys (previous_secret_hash)
    WHERE previous_secret_hash IS NOT NULL;
