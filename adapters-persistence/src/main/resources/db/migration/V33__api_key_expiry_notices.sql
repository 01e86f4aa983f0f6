-- apiKey.expiring and apiKey.expired webhook events (issue 24): when the expiry job settled each of a key's two
-- notices, by sending it or by finding it not owed (a key made with 7 days or less left gets no expiring notice;
-- one already expired when the job reaches it gets only the expired one). Null: not settled yet. A row written by a
-- node of an earlier version during a rolling upgrade has nulls, as a new key does: the job sees it all the same.
-- A key's expiry never changes; a change that let it would have to clear these (re-arming the notices).
-- Alone in its migration: Flyway runs each in one transaction, and ADD COLUMN's lock (which blocks reads too, key
-- verification's included) is held until it commits; without a default the change is to the catalog only, at once.
ALTER TABLE api_keys ADD COLUMN expiring_notice_settled_at TIMESTAMPTZ,
                     ADD COLUMN expired_notice_settled_at TIMESTAMPTZ;
