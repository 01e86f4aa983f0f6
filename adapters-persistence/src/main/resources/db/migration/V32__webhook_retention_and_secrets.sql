-- Webhook operations (issue 24): the retention job deletes settled messages oldest first (with their deliveries
-- and attempts, by cascade).
CREATE INDEX webhook_messages_created ON webhook_messages (created_at);

-- Endpoint secrets are stored sealed (AES-GCM under the server's 'webhook-secrets' key, version secret_key_version;
-- every version of that purpose is kept). Rows written before this version keep their plaintext in secret and
-- previous_secret until the first node to start seals them (at start, in small batches) and clears those columns.
ALTER TABLE webhook_endpoints
    ALTER COLUMN secret DROP NOT NULL,
    ADD COLUMN secret_key_version     integer,
    ADD COLUMN secret_sealed          bytea,
    ADD COLUMN previous_secret_sealed bytea,
    ADD CONSTRAINT webhook_endpoints_secret_stored_once CHECK (
        (secret IS NULL AND previous_secret IS NULL AND secret_key_version IS NOT NULL AND secret_sealed IS NOT NULL)
        OR (secret IS NOT NULL AND secret_key_version IS NULL AND secret_sealed IS NULL
            AND previous_secret_sealed IS NULL));
-- the rows still to seal
CREATE INDEX webhook_endpoints_plaintext ON webhook_endpoints (id) WHERE secret IS NOT NULL;
