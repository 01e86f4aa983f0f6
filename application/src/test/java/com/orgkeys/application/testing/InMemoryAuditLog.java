package com.orgkeys.application.testing;

import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.audit.AuditFilter;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

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
    public Page<AuditEvent> page(OrganizationId organizationId, AuditFilter filter, PageRequest page) {
        return store.read(() -> Page.of(store.auditEvents().stream()
                .filter(e -> e.organizationId().equals(organizationId)).filter(filter::matches).sorted(NEWEST_FIRST).toList(), page,
                e -> new Cursor.Key(e.occurredAt(), e.id().toString()), Cursor.Key.order(true, Comparator.naturalOrder()),
                filter.cursorList(organizationId)));
    }

    @Override
    public Map<String, Name> names(OrganizationId organizationId, Set<String> refs) {
        return store.read(() -> {
            Map<String, Name> names = new HashMap<>();
            BiConsumer<String, Name> found = (ref, name) -> {
                if (refs.contains(ref)) names.put(ref, name);
            };
            store.users().values().forEach(u -> found.accept("user:" + u.id(), new Name(u.name(), u.email().value())));
            store.apiKeys().values().stream().filter(k -> k.organizationId().equals(organizationId))
                    .forEach(k -> found.accept("api_key:" + k.id(), new Name(k.name(), "")));
            store.invitations().values().stream().filter(i -> i.organizationId().equals(organizationId))
                    .forEach(i -> found.accept("invitation:" + i.id(), new Name(i.email().value(), "")));
            store.roles().forEach((id, role) -> {
                if (id.organizationId().equals(organizationId)) found.accept("role:" + role.key().value(), new Name(role.name(), ""));
            });
            Optional.ofNullable(store.organizations().get(organizationId))
                    .ifPresent(o -> found.accept("organization:" + o.id(), new Name(o.name(), "")));
            return names;
        });
    }

    /**
     * Every event of the organization, the last recorded first: for service tests that check what was recorded. By
     * recording order, not time: events recorded at one instant of the test clock would otherwise be ordered by id.
     */
    public List<AuditEvent> all(OrganizationId organizationId) {
        return store.read(() -> store.auditEvents().stream()
                .filter(e -> e.organizationId().equals(organizationId)).toList().reversed());
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
    public List<AuditEvent> aboutTarget(OrganizationId organizationId, String actionPrefix, String target, int limit) {
        return store.read(() -> store.auditEvents().stream().filter(e -> e.organizationId().equals(organizationId)
                        && e.target().equals(target) && e.action().startsWith(actionPrefix))
                .sorted(OLDEST_FIRST.reversed()).limit(limit).toList());
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
