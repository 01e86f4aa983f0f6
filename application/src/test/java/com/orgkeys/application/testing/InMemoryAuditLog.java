package com.orgkeys.application.testing;

import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.Comparator;
import java.util.List;

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
}
