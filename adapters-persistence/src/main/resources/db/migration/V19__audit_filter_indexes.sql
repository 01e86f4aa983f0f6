-- The dashboard's audit log filters by action and by actor (issue 26). Each filter reads its own index in the list's
-- order (newest first, ties by id), and includes the other filter's column, so that a page filtered by both skips
-- the other's non-matching events in the index alone (an index-only scan) instead of reading each event.
-- CREATE INDEX blocks writes to audit_events while it builds.
CREATE INDEX audit_events_by_action ON audit_events (organization_id, action, occurred_at DESC, id DESC) INCLUDE (actor);
CREATE INDEX audit_events_by_actor ON audit_events (organization_id, actor, occurred_at DESC, id DESC) INCLUDE (action);
