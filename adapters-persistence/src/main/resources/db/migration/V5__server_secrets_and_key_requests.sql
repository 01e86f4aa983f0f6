-- Server secrets every node shares (the key of the dashboard's form tokens and sealed cookies): version 1 is made
-- by the first node to start; `java -jar orgkeys.jar rotate-secrets` adds the next and deletes all but the last two.
CREATE TABLE server_secrets (
    purpose    TEXT        NOT NULL,
    version    INTEGER     NOT NULL CHECK (version >= 1),
    key_bytes  BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (purpose, version)
);

-- A key made by a request with an idempotency key (the dashboard's form nonce) keeps that key's SHA-256 (with
-- its caller): the same request sent twice, to any node, makes one key. Rows without one are not indexed.
ALTER TABLE api_keys ADD COLUMN request_hash TEXT;
CREATE UNIQUE INDEX api_keys_request_unique ON api_keys (organization_id, request_hash) WHERE request_hash IS NOT NULL;
