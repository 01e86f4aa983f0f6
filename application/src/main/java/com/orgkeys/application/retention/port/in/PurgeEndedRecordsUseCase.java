package com.orgkeys.application.retention.port.in;

/** Deletes sessions and invitations that ended longer ago than the retention period (a background job, no caller). */
public interface PurgeEndedRecordsUseCase {
    Purged purge();

    /** How many rows went; {@code skipped} when another node was running the job. */
    record Purged(int sessions, int invitations, boolean skipped) {
    }
}
