-- The sign-in and sign-up limits, shared by every process on this database. key: 128 bits of SHA-256 of what is
-- counted (never an email or address); state: the throttle's numbers for it; expires_at: from then on the row
-- counts for nothing and is deleted, a few at a time, by the next updates.
CREATE TABLE account_throttle (
    key        uuid PRIMARY KEY,
    state      bigint[] NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX account_throttle_expires_at ON account_throttle (expires_at);
