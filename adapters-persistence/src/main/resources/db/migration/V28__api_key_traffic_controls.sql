-- Traffic controls (issue 25): an API key's IP allowlist and rate limit, and its organization's default rate limit.
-- Nullable columns and a constant default: nothing is rewritten.
ALTER TABLE api_keys
    ADD COLUMN allowed_addresses         text[] NOT NULL DEFAULT '{}',
    ADD COLUMN rate_limit_requests       integer,
    ADD COLUMN rate_limit_window_seconds integer,
    ADD CONSTRAINT api_keys_rate_limit_whole
        CHECK ((rate_limit_requests IS NULL) = (rate_limit_window_seconds IS NULL)),
    ADD CONSTRAINT api_keys_allowed_addresses_bounded CHECK (cardinality(allowed_addresses) <= 100);

ALTER TABLE organizations
    ADD COLUMN api_key_rate_limit_requests       integer,
    ADD COLUMN api_key_rate_limit_window_seconds integer,
    ADD CONSTRAINT organizations_api_key_rate_limit_whole
        CHECK ((api_key_rate_limit_requests IS NULL) = (api_key_rate_limit_window_seconds IS NULL));

-- The uses of rate-limited keys per fixed window (start in seconds since the epoch), added up by every process in
-- batches. Unlogged: a count lost in a crash only lets a key's current window start again, and the batches cost no WAL.
-- A key's earlier windows are deleted when it reports the next; no foreign key, so a report never waits on api_keys.
CREATE UNLOGGED TABLE api_key_rate_counts (
    api_key_id   uuid   NOT NULL,
    window_start bigint NOT NULL,
    uses         bigint NOT NULL,
    PRIMARY KEY (api_key_id, window_start)
);
