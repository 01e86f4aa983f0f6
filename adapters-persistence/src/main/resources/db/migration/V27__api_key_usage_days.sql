-- Issue 25: each key's requests per day (UTC) by outcome. Every node adds its own counts with an upsert every few
-- seconds, so a row is the exact sum over the nodes. The primary key serves a key's last 90 days; organization_id is
-- on the row as on every tenant table, filled from the key in the same statement. last_address: the address of the
-- day's latest successful request (the key's last-used address is that of its latest day having one).
CREATE TABLE api_key_usage_days (
    api_key_id      uuid   NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    day             date   NOT NULL,
    organization_id uuid   NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    success         bigint NOT NULL DEFAULT 0,
    scope_refused   bigint NOT NULL DEFAULT 0,
    rate_limited    bigint NOT NULL DEFAULT 0,
    ip_refused      bigint NOT NULL DEFAULT 0,
    last_address    text CHECK (char_length(last_address) <= 64),
    PRIMARY KEY (api_key_id, day)
);

-- the retention job deletes days older than 90 in small batches, oldest first
CREATE INDEX api_key_usage_days_day ON api_key_usage_days (day);

-- a key's status history on its detail page: its own audit events, newest first. CREATE INDEX blocks writes to
-- audit_events while it builds.
CREATE INDEX audit_events_by_target ON audit_events (organization_id, target, occurred_at DESC, id DESC);
