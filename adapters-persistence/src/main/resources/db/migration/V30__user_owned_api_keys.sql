-- User-owned API keys (issue 25, Clerk's subject): a key made for a user acts as that user in its organization.
-- Null: the organization's own key, as every key before. No foreign key: a deleted user's keys are revoked in the
-- deletion's transaction and keep naming who owned them, as audit events do.
ALTER TABLE api_keys ADD COLUMN owner_user_id uuid;

-- subject=user:<id> lists a member's keys in list order; the same index finds a user's keys to revoke when they
-- leave or are deleted, and to forget on every node when their permissions change.
CREATE INDEX api_keys_by_owner ON api_keys (owner_user_id, organization_id, created_at DESC, id DESC)
    WHERE owner_user_id IS NOT NULL;
-- subject=organization: the organization's own keys, in list order, without reading the users' ones.
CREATE INDEX api_keys_organization_owned ON api_keys (organization_id, created_at DESC, id DESC)
    WHERE owner_user_id IS NULL;
