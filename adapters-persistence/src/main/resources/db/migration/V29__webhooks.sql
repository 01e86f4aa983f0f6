-- Webhooks (issue 24): endpoints (an organization's, or the instance's when organization_id is NULL), the events sent
-- to them, one delivery per event and endpoint, and the attempts at each. Events and deliveries are written in the
-- transaction of the change; workers on any node claim due deliveries with FOR UPDATE SKIP LOCKED and a lease
-- (next_attempt_at moved forward), and send them after the claim commits.
CREATE TABLE webhook_endpoints (
    id                    uuid PRIMARY KEY,
    organization_id       uuid REFERENCES organizations (id) ON DELETE CASCADE,
    url                   text NOT NULL,
    description           text NOT NULL,
    event_types           text[] NOT NULL,   -- empty: every type
    enabled               boolean NOT NULL,
    secret                text NOT NULL,
    previous_secret       text,
    previous_secret_until timestamptz,
    failing_since         timestamptz,       -- the first failed attempt since the last delivered one
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_organization ON webhook_endpoints (organization_id, created_at);

CREATE TABLE webhook_messages (
    id              text PRIMARY KEY,   -- msg_…, the webhook-id of every delivery and retry
    organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
    type            text NOT NULL,
    body            text NOT NULL,      -- the exact JSON that is signed
    created_at      timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              uuid PRIMARY KEY,
    message_id      text NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
    endpoint_id     uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    status          text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    attempts        integer NOT NULL,   -- attempts started (claimed)
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL
);
-- the workers' claim reads only the deliveries still to make
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_message ON webhook_deliveries (message_id);
-- replays look up whether a message was sent to an endpoint
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, message_id);

CREATE TABLE webhook_attempts (
    id              uuid PRIMARY KEY,
    delivery_id     uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    endpoint_id     uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    message_id      text NOT NULL,
    event_type      text NOT NULL,
    attempt         integer NOT NULL,
    attempted_at    timestamptz NOT NULL,
    succeeded       boolean NOT NULL,
    response_status integer,
    latency_ms      bigint NOT NULL,
    response_body   text NOT NULL,      -- the first 1024 characters
    error           text
);
-- the endpoint's attempt list, newest first (keyset by time then id)
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, attempted_at DESC, id DESC);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id);
