-- Webhook operations (issue 24): the retention job deletes settled messages oldest first (with their deliveries
-- and attempts, by cascade).
CREATE INDEX webhook_messages_created ON webhook_messages (created_at);
