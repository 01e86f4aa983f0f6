package com.orgkeys.application.retention.port.in;

import java.util.Optional;

/**
 * Deletes sessions and invitations that ended longer ago than the retention period, audit events older than
 * theirs, and API key usage days older than {@value #KEY_USAGE_DAYS} days (a background job, no caller).
 */
public interface PurgeEndedRecordsUseCase {
    /** How long a key's daily usage is kept: as far back as the usage route reaches. */
    int KEY_USAGE_DAYS = 90;

    Purged purge();

    /**
     * How many rows went; {@code skipped} when another node was running the job; {@code archiveFailure} when audit
     * events were due but could not be archived, so they were kept.
     */
    record Purged(int sessions, int invitations, int auditEvents, boolean skipped, Optional<String> archiveFailure,
                  int keyUsageDays) {
        public Purged(int sessions, int invitations, boolean skipped) {
            this(sessions, invitations, 0, skipped, Optional.empty());
        }

        public Purged(int sessions, int invitations, int auditEvents, boolean skipped, Optional<String> archiveFailure) {
            this(sessions, invitations, auditEvents, skipped, archiveFailure, 0);
        }

        public Purged withKeyUsageDays(int rows) {
            return new Purged(sessions, invitations, auditEvents, skipped, archiveFailure, rows);
        }
    }
}
