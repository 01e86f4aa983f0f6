-- Passkeys (issue 22): a user's WebAuthn credentials. credential_id and public_key_cose as the authenticator made
-- them; signature_count is the counter last seen (a lower one later means a cloned authenticator, refused).
CREATE TABLE passkeys (
    id              uuid        PRIMARY KEY,
    user_id         uuid        NOT NULL REFERENCES users ON DELETE CASCADE,
    credential_id   bytea       NOT NULL UNIQUE CHECK (octet_length(credential_id) BETWEEN 1 AND 1023),
    public_key_cose bytea       NOT NULL,
    signature_count bigint      NOT NULL CHECK (signature_count >= 0),
    name            text        NOT NULL,
    created_at      timestamptz NOT NULL,
    last_used_at    timestamptz
);
CREATE INDEX passkeys_user ON passkeys (user_id, created_at);

-- WebAuthn ceremonies under way: the options sent to the browser (with their challenge), used once (deleted when
-- the answer comes), at most 5 minutes. A second factor belongs to its pending sign-in (an account token).
CREATE TABLE passkey_ceremonies (
    id         uuid        PRIMARY KEY,
    purpose    text        NOT NULL CHECK (purpose IN ('registration', 'sign_in', 'second_factor')),
    user_id    uuid        REFERENCES users ON DELETE CASCADE,
    sign_in_id uuid,
    request    text        NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX passkey_ceremonies_expiry ON passkey_ceremonies (expires_at);
