-- apiKey.expiring and apiKey.expired webhook events (issue 24): when the expiry job settled each of a key's two
-- notices, by sending it or by finding it not owed (a key made with 7 days or less left gets no expiring notice;
-- one already expired when the job reaches it gets only the expired one). Null: not settled yet. A row written by a
-- node of an earlier version during a rolling upgrade has nulls, as a new key does: the job sees it all the same.
-- A key's expiry never changes; a change that let it would have to clear these (re-arming the notices).
ALTER TABLE api_keys ADD COLUMN expiring_notice_settled_at TIMESTAMPTZ,
                     ADD COLUMN expired_notice_settled_at TIMESTAMPTZ;

-- Keys that expired before this version are settled: the first run does not tell of every expiry in the past.
UPDATE api_keys SET expiring_notice_settled_at = now(), expired_notice_settled_at = now()
 WHERE expires_at <= now() AND revoked_at IS NULL;

-- The job's two reads, soonest expiry first: each index holds only the unrevoked keys with an expiry whose notice is
-- unsettled, and the read stops at the first key not yet due, so a run reads the due keys and no others. Neither
-- holds last_used_at, so recording a key's use stays a HOT update. CREATE INDEX blocks writes to api_keys (not reads)
-- while it builds.
CREATE INDEX api_keys_expiring_notice_due ON api_keys (expires_at)
    WHERE expiring_notice_settled_at IS NULL AND revoked_at IS NULL AND expires_at IS NOT NULL;
CREATE INDEX api_keys_expired_notice_due ON api_keys (expires_at)
    WHERE expired_notice_settled_at IS NULL AND revoked_at IS NULL AND expires_at IS NOT NULL;
