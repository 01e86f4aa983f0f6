package com.orgkeys.application.testing;

import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

public final class InMemoryAuditLog implements AuditLog {
    private static final Comparator<AuditEvent> NEWEST_FIRST = Comparator.comparing(AuditEvent::occurredAt)
            .thenComparing(e -> e.id().toString()).reversed();

    private final InMemoryStore store;

    public InMemoryAuditLog(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void record(AuditEvent event) {
        store.write(() -> {
            InMemoryStore.requireReference(store.organizations().containsKey(event.organizationId()), "organization");
            if (store.auditEvents().stream().anyMatch(e -> e.id().equals(event.id()))) {
                throw new ConflictException("already exists");
            }
            store.auditEvents().add(event);
        });
    }

    @Override
    public Page<AuditEvent> page(OrganizationId organizationId, PageRequest page) {
        return store.read(() -> Page.of(store.auditEvents().stream()
                .filter(e -> e.organizationId().equals(organizationId)).sorted(NEWEST_FIRST).toList(), page,
                e -> new Cursor.Key(e.occurredAt(), e.id().toString()), Cursor.Key.order(true, Comparator.naturalOrder()),
                Cursor.list("audit-events", organizationId)));
    }

    /** Every event of the organization, newest first: for service tests that check what was recorded. */
    public List<AuditEvent> all(OrganizationId organizationId) {
        return store.read(() -> store.auditEvents().stream()
                .filter(e -> e.organizationId().equals(organizationId)).sorted(NEWEST_FIRST).toList());
    }

    /** Oldest first, ids ordered as PostgreSQL orders uuids (as their text): the export's and retention's order. */
    private static final Comparator<AuditEvent> OLDEST_FIRST = Comparator.comparing(AuditEvent::occurredAt)
            .thenComparing(e -> e.id().toString());

    @Override
    public List<AuditEvent> oldestFirst(OrganizationId organizationId, Optional<Instant> from, Optional<Instant> to,
                                        Optional<AuditEvent> after, int limit) {
        return store.read(() -> store.auditEvents().stream()
                .filter(e -> e.organizationId().equals(organizationId))
                .filter(e -> from.map(f -> !e.occurredAt().isBefore(f)).orElse(true))
                .filter(e -> to.map(t -> e.occurredAt().isBefore(t)).orElse(true))
                .filter(e -> after.map(a -> OLDEST_FIRST.compare(e, a) > 0).orElse(true))
                .sorted(OLDEST_FIRST).limit(limit).toList());
    }

    @Override
    public List<AuditEvent> oldestBefore(Instant cutoff, int limit) {
        return store.read(() -> store.auditEvents().stream().filter(e -> e.occurredAt().isBefore(cutoff))
                .sorted(OLDEST_FIRST).limit(limit).toList());
    }

    @Override
    public int delete(List<AuditEvent> events) {
        Set<UUID> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.id()));
        return store.writeAndAnswer(() -> {
            int before = store.auditEvents().size();
            store.auditEvents().removeIf(e -> ids.contains(e.id()));
            return before - store.auditEvents().size();
        });
    }

    @Override
    public int deleteOldestBefore(Instant cutoff, int limit) {
        return delete(oldestBefore(cutoff, limit));
    }
}
