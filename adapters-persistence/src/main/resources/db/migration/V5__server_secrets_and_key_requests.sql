-- Server secrets every node shares (the key of the dashboard's form tokens and sealed cookies): version 1 is made
-- by the first node to start; `java -jar orgkeys.jar rotate-secrets` adds the next and deletes all but the last two.
CREATE TABLE server_secrets (
    purpose    TEXT        NOT NULL,
    version    INTEGER     NOT NULL CHECK (version >= 1),
    key_bytes  BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (purpose, version)
);
