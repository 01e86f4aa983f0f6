-- One-time account tokens (issue 21): password reset links, email verification links and codes; later sign-in links
-- and email changes. Only SHA-256 hashes of the secrets are stored; a token is used once (used_at, set by one
-- atomic UPDATE), until expires_at; attempts counts guesses of its short code.
CREATE TABLE account_tokens (
    id         uuid PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    purpose    text        NOT NULL,
    token_hash text        NOT NULL UNIQUE,
    code_hash  text,
    email      text        NOT NULL,   -- where it was sent (the address to verify, for an email change)
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    attempts   integer     NOT NULL DEFAULT 0
);
-- a user's usable tokens of one purpose (replacing them, guessing a code)
CREATE INDEX account_tokens_user_purpose ON account_tokens (user_id, purpose, created_at DESC) WHERE used_at IS NULL;
-- the retention job's deletes
CREATE INDEX account_tokens_expires_at ON account_tokens (expires_at);
CREATE INDEX account_tokens_used_at ON account_tokens (used_at) WHERE used_at IS NOT NULL;

-- Email verification: when the user showed they read mail at their address (a mailed link or code). Accounts from
-- before this version count as verified: they cannot be asked retroactively, and what they do today (accept
-- invitations, create API keys) must keep working after an upgrade.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
UPDATE users SET email_verified_at = created_at;
