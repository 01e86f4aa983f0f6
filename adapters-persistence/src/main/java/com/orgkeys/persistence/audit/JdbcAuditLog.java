package com.orgkeys.persistence.audit;

import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.audit.AuditFilter;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.database.Keyset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

public final class JdbcAuditLog implements AuditLog {
    /** Newest first, ties by id: the order of audit_events_newest_first. */
    private static final Keyset KEYSET = new Keyset("occurred_at", "id", true, UUID::fromString);
    private static final String COLUMNS =
            "id, organization_id, actor, action, target, details, client_address, occurred_at";

    private final Jdbc jdbc;

    public JdbcAuditLog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(AuditEvent event) {
        jdbc.update("""
                INSERT INTO audit_events (id, organization_id, actor, action, target, details, client_address,
                                          occurred_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                event.id(), event.organizationId().value(), event.actor().value(), event.action(), event.target(),
                event.details(), event.clientAddress(), event.occurredAt());
    }

    @Override
    public Page<AuditEvent> page(OrganizationId organizationId, AuditFilter filter, PageRequest page) {
        StringBuilder where = new StringBuilder("organization_id = ?");
        List<Object> params = new ArrayList<>(List.of(organizationId.value()));
        filter.action().ifPresent(action -> {
            where.append(" AND action = ?");
            params.add(action);
        });
        filter.actor().ifPresent(actor -> {
            where.append(" AND actor = ?");
            params.add(actor.value());
        });
        // a filtered page through V19's (organization, action | actor, time) indexes, each including the other
        // column: keys first, so that a page with both filters skips non-matching rows in the index alone
        boolean filtered = !filter.equals(AuditFilter.NONE);
        return KEYSET.page(jdbc, COLUMNS, "audit_events", "audit_events", where.toString(), params,
                JdbcAuditLog::event, page, filter.cursorList(organizationId), Page.COUNT_CAP,
                filtered ? Keyset.Plan.KEYS_FIRST : Keyset.Plan.DIRECT);
    }

    @Override
    public Map<String, Name> names(OrganizationId organizationId, Set<String> refs) {
        // one round trip for a page: a UNION ALL of one IN lookup per kind that the page refers to
        Map<String, List<Object>> byKind = new HashMap<>();
        for (String ref : refs) {
            int colon = ref.indexOf(':');
            if (colon < 0) continue;
            String kind = ref.substring(0, colon), id = ref.substring(colon + 1);
            if (kind.equals("role")) {
                byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(id);
            } else if (NAME_QUERIES.containsKey(kind)) {
                try {
                    byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(UUID.fromString(id));
                } catch (IllegalArgumentException notAnId) {
                    // an event's target that was never an id names nothing
                }
            }
        }
        if (byKind.isEmpty()) return Map.of();
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        byKind.forEach((kind, ids) -> {
            parts.add(NAME_QUERIES.get(kind));
            if (!kind.equals("user")) params.add(organizationId.value());
            params.add(kind.equals("role") ? ids : ids.stream().map(Object::toString).toList());
        });
        Map<String, Name> names = new HashMap<>();
        jdbc.list(String.join("\nUNION ALL\n", parts), row -> names.put(row.getString("ref"),
                new Name(row.getString("name"), row.getString("email"))), params.toArray());
        return names;
    }

    /** Per kind of reference: its names, by ids bound as a text array (users: by id alone; the rest: of the organization). */
    private static final Map<String, String> NAME_QUERIES = Map.of(
            "user", "SELECT 'user:' || id AS ref, name, email FROM users WHERE id = ANY (?::uuid[])",
            "api_key", "SELECT 'api_key:' || id AS ref, name, '' AS email FROM api_keys"
                    + " WHERE organization_id = ? AND id = ANY (?::uuid[])",
            "invitation", "SELECT 'invitation:' || id AS ref, email AS name, '' AS email FROM invitations"
                    + " WHERE organization_id = ? AND id = ANY (?::uuid[])",
            "role", "SELECT 'role:' || key AS ref, name, '' AS email FROM roles"
                    + " WHERE organization_id = ? AND key = ANY (?::text[])",
            "organization", "SELECT 'organization:' || id AS ref, name, '' AS email FROM organizations"
                    + " WHERE id = ? AND id = ANY (?::uuid[])");

    @Override
    public List<AuditEvent> oldestFirst(OrganizationId organizationId, Optional<Instant> from, Optional<Instant> to,
                                        Optional<AuditEvent> after, int limit) {
        // keyset on (occurred_at, id); the plain occurred_at bound lets the organization's index seek to the cursor
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_events WHERE organization_id = ?");
        List<Object> params = new ArrayList<>(List.of(organizationId.value()));
        from.ifPresent(f -> {
            sql.append(" AND occurred_at >= ?");
            params.add(f);
        });
        to.ifPresent(t -> {
            sql.append(" AND occurred_at < ?");
            params.add(t);
        });
        after.ifPresent(a -> {
            sql.append(" AND occurred_at >= ? AND (occurred_at, id) > (?, ?)");
            params.addAll(List.of(a.occurredAt(), a.occurredAt(), a.id()));
        });
        sql.append(" ORDER BY occurred_at, id LIMIT ?");
        params.add(limit);
        return jdbc.list(sql.toString(), JdbcAuditLog::event, params.toArray());
    }

    @Override
    public List<AuditEvent> aboutTarget(OrganizationId organizationId, String actionPrefix, String target, int limit) {
        // V27's (organization, target, time) index; the prefix only narrows what it finds
        return jdbc.list("SELECT " + COLUMNS + " FROM audit_events WHERE organization_id = ? AND target = ?"
                        + " AND starts_with(action, ?) ORDER BY occurred_at DESC, id DESC LIMIT ?",
                JdbcAuditLog::event, organizationId.value(), target, actionPrefix, limit);
    }

    @Override
    public List<AuditEvent> oldestBefore(Instant cutoff, int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM audit_events WHERE occurred_at < ? ORDER BY occurred_at, id LIMIT ?",
                JdbcAuditLog::event, cutoff, limit);
    }

    @Override
    public int delete(List<AuditEvent> events) {
        if (events.isEmpty()) return 0;
        return jdbc.update("DELETE FROM audit_events WHERE id = ANY (?::uuid[])",
                events.stream().map(AuditEvent::id).toList());
    }

    @Override
    public int deleteOldestBefore(Instant cutoff, int limit) {
        return jdbc.update("""
                DELETE FROM audit_events WHERE id IN (
                    SELECT id FROM audit_events WHERE occurred_at < ? ORDER BY occurred_at, id LIMIT ?)""",
                cutoff, limit);
    }

    private static AuditEvent event(ResultSet row) throws SQLException {
        return new AuditEvent(Jdbc.uuid(row, "id"), new OrganizationId(Jdbc.uuid(row, "organization_id")),
                Actor.of(row.getString("actor")), row.getString("action"), row.getString("target"),
                row.getString("details"), row.getString("client_address"), Jdbc.instant(row, "occurred_at"));
    }
}
