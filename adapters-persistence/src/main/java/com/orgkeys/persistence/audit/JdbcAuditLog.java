package com.orgkeys.persistence.audit;

import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.database.Keyset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    public Page<AuditEvent> page(OrganizationId organizationId, PageRequest page) {
        return KEYSET.page(jdbc, COLUMNS, "audit_events", "audit_events", "organization_id = ?",
                List.of(organizationId.value()), JdbcAuditLog::event, page, Cursor.list("audit-events", organizationId));
    }

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
