-- Accounts, organizations and everything that belongs to an organization. Every tenant table references
-- organizations ON DELETE CASCADE, so deleting an organization deletes all of its data in one statement.

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text        NOT NULL,
    name          text        NOT NULL,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL
);
-- Emails are stored normalized; the index on lower() still guards against a writer that forgets to.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE organizations (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL,
    slug       text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

CREATE TABLE sessions (
    id                     uuid PRIMARY KEY,
    user_id                uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    token_hash             text        NOT NULL UNIQUE,
    active_organization_id uuid        REFERENCES organizations ON DELETE SET NULL,
    user_agent             text        NOT NULL DEFAULT '',
    created_at             timestamptz NOT NULL,
    last_active_at         timestamptz NOT NULL,
    revoked_at             timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id, last_active_at DESC);
CREATE INDEX sessions_active_organization_idx ON sessions (active_organization_id);

CREATE TABLE roles (
    organization_id uuid        NOT NULL REFERENCES organizations ON DELETE CASCADE,
    key             text        NOT NULL,
    name            text        NOT NULL,
    permissions     text[]      NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organization_id, key)
);

CREATE TABLE memberships (
    organization_id uuid        NOT NULL REFERENCES organizations ON DELETE CASCADE,
    user_id         uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    role_key        text        NOT NULL,
    joined_at       timestamptz NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE invitations (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations ON DELETE CASCADE,
    email           text        NOT NULL,
    role_key        text        NOT NULL,
    token_hash      text        NOT NULL UNIQUE,
    invited_by      uuid        NOT NULL REFERENCES users,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    accepted_at     timestamptz,
    revoked_at      timestamptz
);
CREATE INDEX invitations_organization_idx ON invitations (organization_id, created_at DESC);

CREATE TABLE audit_events (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations ON DELETE CASCADE,
    actor           text        NOT NULL,
    action          text        NOT NULL,
    target          text        NOT NULL DEFAULT '',
    details         text        NOT NULL DEFAULT '',
    client_address  text        NOT NULL DEFAULT '',
    occurred_at     timestamptz NOT NULL
);
CREATE INDEX audit_events_organization_idx ON audit_events (organization_id, occurred_at DESC);
