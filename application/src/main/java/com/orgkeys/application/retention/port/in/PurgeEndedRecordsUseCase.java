package com.orgkeys.application.retention.port.in;

import java.util.Optional;

/**
 * Deletes sessions and invitations that ended longer ago than the retention period, and audit events older than
 * theirs (a background job, no caller).
 */
public interface PurgeEndedRecordsUseCase {
    Purged purge();

    /**
     * How many rows went; {@code skipped} when another node was running the job; {@code archiveFailure} when audit
     * events were due but could not be archived, so they were kept.
     */
    record Purged(int sessions, int invitations, int auditEvents, boolean skipped, Optional<String> archiveFailure) {
        public Purged(int sessions, int invitations, boolean skipped) {
            this(sessions, invitations, 0, skipped, Optional.empty());
        }
    }
}
