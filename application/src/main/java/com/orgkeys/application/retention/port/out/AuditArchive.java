package com.orgkeys.application.retention.port.out;

import com.orgkeys.domain.audit.AuditEvent;

import java.time.Instant;
import java.util.List;

/** Where the retention job keeps audit events before it deletes them (AUDIT_ARCHIVE_DIR). */
public interface AuditArchive {
    /**
     * Appends {@code events} durably (written and synced when this returns) to the archive of {@code runAt}'s day,
     * or throws {@link ArchiveFailedException}.
     */
    void append(List<AuditEvent> events, Instant runAt);

    /** The events could not be kept: the caller must not delete them. */
    final class ArchiveFailedException extends RuntimeException {
        public ArchiveFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
