-- Indexes for the retention job's deletes (issue 28): each arm of its OR has one, combined with a BitmapOr, so a
-- batch reads the rows it deletes rather than the table. Each CREATE INDEX blocks writes to its table while it builds.

-- sessions that ended: revoked, idle too long (last_active_at) or past their lifetime (created_at)
CREATE INDEX sessions_revoked_at ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX sessions_last_active_at ON sessions (last_active_at);
CREATE INDEX sessions_created_at ON sessions (created_at);

-- invitations that finished: accepted, revoked or expired
CREATE INDEX invitations_accepted_at ON invitations (accepted_at) WHERE accepted_at IS NOT NULL;
CREATE INDEX invitations_revoked_at ON invitations (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX invitations_expires_at ON invitations (expires_at);
