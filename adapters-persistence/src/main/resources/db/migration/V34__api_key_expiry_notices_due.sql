-- The expiry notices of V33 (issue 24), in a migration of their own so that reads of api_keys go on meanwhile.
-- Keys that expired before this version are settled: the first run does not tell of every expiry in the past.
UPDATE api_keys SET expiring_notice_settled_at = now(), expired_notice_settled_at = now()
 WHERE expires_at <= now() AND revoked_at IS NULL;

-- The job's two reads, soonest expiry first: each index holds only the unrevoked keys with an expiry whose notice is
-- unsettled, and the read stops at the first key not yet due, so a run reads the due keys and no others. Neither
-- holds last_used_at, so recording a key's use stays a HOT update. This migration blocks writes to api_keys (not
-- reads) while it runs.
CREATE INDEX api_keys_expiring_notice_due ON api_keys (expires_at)
    WHERE expiring_notice_settled_at IS NULL AND revoked_at IS NULL AND expires_at IS NOT NULL;
CREATE INDEX api_keys_expired_notice_due ON api_keys (expires_at)
    WHERE expired_notice_settled_at IS NULL AND revoked_at IS NULL AND expires_at IS NOT NULL;
