-- Two-factor sign-in (issue 22): a user's authenticator app (TOTP) and their recovery codes. The TOTP secret is
-- stored AES-GCM encrypted under version key_version of the server's 'two-factor' key (server_secrets; every
-- version of that purpose is kept by rotations). A row without confirmed_at is a pending enrollment.
-- last_used_step: the RFC 6238 time step of the last code accepted; a code of that step or an earlier one is refused.
CREATE TABLE totp_factors (
    user_id          uuid        PRIMARY KEY REFERENCES users ON DELETE CASCADE,
    secret_encrypted bytea       NOT NULL,
    key_version      integer     NOT NULL CHECK (key_version >= 1),
    created_at       timestamptz NOT NULL,
    confirmed_at     timestamptz,
    last_used_step   bigint
);

-- Recovery codes: the SHA-256 of each (normalized) code; each used once (used_at set by one atomic UPDATE).
CREATE TABLE recovery_codes (
    user_id    uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    code_hash  text        NOT NULL,
    created_at timestamptz NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (user_id, code_hash)
);
