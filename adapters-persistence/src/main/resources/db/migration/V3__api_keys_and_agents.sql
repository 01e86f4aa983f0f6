-- Organization API keys. Only the SHA-256 of a secret is stored; verification looks it up by that hash.
CREATE TABLE api_keys (
    id                UUID PRIMARY KEY,
    organization_id   UUID        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name              TEXT        NOT NULL,
    description       TEXT        NOT NULL DEFAULT '',
    scopes            TEXT[]      NOT NULL,
    secret_hash       TEXT        NOT NULL,
    hint              TEXT        NOT NULL,
    created_by        TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ,
    last_used_at      TIMESTAMPTZ,
    revoked_at        TIMESTAMPTZ,
    revocation_reason TEXT,
    CONSTRAINT api_keys_secret_hash_unique UNIQUE (secret_hash)
);
CREATE INDEX api_keys_by_organization ON api_keys (organization_id, created_at DESC, id);

-- Agents: the organization's resource reachable with a session or an API key.
CREATE TABLE agents (
    organization_id UUID        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id              TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    description     TEXT        NOT NULL DEFAULT '',
    model           TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    created_by      TEXT        NOT NULL,
    seq             BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX agents_newest_first ON agents (organization_id, created_at DESC, seq DESC);
