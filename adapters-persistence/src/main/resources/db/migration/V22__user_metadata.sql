-- Clerk's three metadata objects on every account (issue 23): public (the backend writes, the user reads),
-- private (backend only), unsafe (the user writes too). Each a JSON object of at most 8 KB, checked by the service;
-- the CHECKs keep any other writer from storing an array or a scalar.
ALTER TABLE users
    ADD COLUMN public_metadata  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(public_metadata) = 'object'),
    ADD COLUMN private_metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(private_metadata) = 'object'),
    ADD COLUMN unsafe_metadata  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(unsafe_metadata) = 'object');

-- The backend API's user search (query=) over email and name, as V11 does for the other searched tables.
CREATE INDEX users_search_trgm ON users USING gin ((email || E'\n' || name) gin_trgm_ops);
-- Its default order (newest first) and the sessions' list by user, newest first.
CREATE INDEX users_created_at_idx ON users (created_at DESC, id DESC);
CREATE INDEX sessions_user_created_idx ON sessions (user_id, created_at DESC, id DESC);

-- Deleting a user through the backend API withdraws the invitations they sent, instead of failing on this key.
ALTER TABLE invitations DROP CONSTRAINT invitations_invited_by_fkey,
    ADD CONSTRAINT invitations_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES users ON DELETE CASCADE;
