-- The key pairs that sign session tokens (GET /api/session/token), shared by every node. The first node that needs
-- one makes generation 1; a rotation (by age, or `java -jar orgkeys.jar rotate-signing-keys`) adds the next: the
-- primary key lets one node's row in when several try at once. The private key is AES-GCM sealed under a server
-- secret (purpose 'signing-keys', version in private_key_version); it is set to NULL once the key was retired and
-- every token it signed has expired. Rows stay: they are the record of who rotated when.
CREATE TABLE signing_keys (
    generation          integer     PRIMARY KEY CHECK (generation >= 1),
    kid                 text        NOT NULL UNIQUE,
    public_key          bytea       NOT NULL,
    private_key         bytea,
    private_key_version integer,
    created_at          timestamptz NOT NULL,
    signs_from          timestamptz NOT NULL,
    created_by          text        NOT NULL,
    CHECK ((private_key IS NULL) = (private_key_version IS NULL))
);
