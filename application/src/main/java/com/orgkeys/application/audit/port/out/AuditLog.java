package com.orgkeys.application.audit.port.out;

import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.audit.AuditFilter;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

public interface AuditLog {
    /** Appends an event; called inside the transaction of the change it records. */
    void record(AuditEvent event);

    /** Newest first. */
    default Page<AuditEvent> page(OrganizationId organizationId, PageRequest page) {
        return page(organizationId, AuditFilter.NONE, page);
    }

    /** Newest first, only the events {@code filter} matches. */
    Page<AuditEvent> page(OrganizationId organizationId, AuditFilter filter, PageRequest page);

    /**
     * The names people know the objects of these references by ({@link AuditEvent#targetRef} and actors' values:
     * "user:&lt;id&gt;" → the user's name and email, "api_key:&lt;id&gt;" → the key's name, "invitation:&lt;id&gt;" → the
     * invited address, "role:&lt;key&gt;" → a custom role's name, "organization:&lt;id&gt;" → its name), in one lookup.
     * Keys, invitations and roles only of {@code organizationId}; what no longer exists (or never did) is left out.
     */
    Map<String, Name> names(OrganizationId organizationId, Set<String> refs);

    /** An object's name; {@code email} only for a user (else ""). */
    record Name(String name, String email) {
    }

    /**
     * The export's batches: up to {@code limit} of the organization's events with {@code from ≤ occurredAt < to}
     * (either bound may be open) that come after {@code after}, oldest first by (occurredAt, id).
     */
    List<AuditEvent> oldestFirst(OrganizationId organizationId, Optional<Instant> from, Optional<Instant> to,
                                 Optional<AuditEvent> after, int limit);

    /**
     * The newest {@code limit} events of the organization whose target is {@code target} (an API key's id: its
     * history), whose action starts with {@code actionPrefix} ("api_key."), newest first.
     */
    List<AuditEvent> aboutTarget(OrganizationId organizationId, String actionPrefix, String target, int limit);

    /** Retention: up to {@code limit} events of any organization that occurred before {@code cutoff}, oldest first. */
    List<AuditEvent> oldestBefore(Instant cutoff, int limit);

    /** Retention: deletes these events (after they were archived); how many were still there. */
    int delete(List<AuditEvent> events);

    /** Retention without an archive: deletes up to {@code limit} events that occurred before {@code cutoff}. */
    int deleteOldestBefore(Instant cutoff, int limit);
}
