-- Backend secret keys (issue 23): instance-level, for the team's own services calling the backend API (/v1). Only the
-- SHA-256 of a secret is kept. Who created or revoked a key is kept on its row: these events belong to no
-- organization, so they have no place in an organization's audit log.
CREATE TABLE secret_keys (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL,
    secret_hash  text        NOT NULL UNIQUE,
    hint         text        NOT NULL,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    revoked_by   text
);
CREATE INDEX secret_keys_created_at ON secret_keys (created_at DESC);
