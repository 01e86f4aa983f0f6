package com.orgkeys.application.audit.port.out;

import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface AuditLog {
    /** Appends an event; called inside the transaction of the change it records. */
    void record(AuditEvent event);

    /** Newest first. */
    Page<AuditEvent> page(OrganizationId organizationId, PageRequest page);

    /**
     * The export's batches: up to {@code limit} of the organization's events with {@code from ≤ occurredAt < to}
     * (either bound may be open) that come after {@code after}, oldest first by (occurredAt, id).
     */
    List<AuditEvent> oldestFirst(OrganizationId organizationId, Optional<Instant> from, Optional<Instant> to,
                                 Optional<AuditEvent> after, int limit);

    /** Retention: up to {@code limit} events of any organization that occurred before {@code cutoff}, oldest first. */
    List<AuditEvent> oldestBefore(Instant cutoff, int limit);

    /** Retention: deletes these events (after they were archived); how many were still there. */
    int delete(List<AuditEvent> events);

    /** Retention without an archive: deletes up to {@code limit} events that occurred before {@code cutoff}. */
    int deleteOldestBefore(Instant cutoff, int limit);
}
