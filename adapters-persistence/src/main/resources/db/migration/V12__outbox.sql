-- The outbox (issue 21): messages to deliver outside orgkeys (mail; later webhooks), written in the transaction of the
-- change that causes them and delivered by a worker on any node (claimed with FOR UPDATE SKIP LOCKED).
CREATE TABLE outbox_messages (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL,
    payload      jsonb NOT NULL,   -- emptied once the message is sent or given up on
    created_at   timestamptz NOT NULL,
    available_at timestamptz NOT NULL,   -- due from then (the next attempt after a failure)
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    sent_at      timestamptz,
    dead_at      timestamptz   -- given up on after the last attempt
);

-- the worker's claim reads only the messages still to deliver
CREATE INDEX outbox_messages_due ON outbox_messages (available_at) WHERE sent_at IS NULL AND dead_at IS NULL;
-- the retention job's deletes
CREATE INDEX outbox_messages_sent_at ON outbox_messages (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX outbox_messages_dead_at ON outbox_messages (dead_at) WHERE dead_at IS NOT NULL;
