-- The audit retention job (issue 28) deletes the oldest events of all organizations, in batches ordered by
-- (occurred_at, id): this index reads each batch directly. CREATE INDEX blocks writes to audit_events while it builds.
CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at, id);
