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

import java.util.List;
import java.util.UUID;

public final class JdbcAuditLog implements AuditLog {
    /** Newest first, ties by id: the order of audit_events_newest_first. */
    private static final Keyset KEYSET = new Keyset("occurred_at", "id", true, UUID::fromString);

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
        return KEYSET.page(jdbc, "id, organization_id, actor, action, target, details, client_address, occurred_at",
                "audit_events", "audit_events", "organization_id = ?", List.of(organizationId.value()),
                row -> new AuditEvent(Jdbc.uuid(row, "id"), new OrganizationId(Jdbc.uuid(row, "organization_id")),
                        Actor.of(row.getString("actor")), row.getString("action"), row.getString("target"),
                        row.getString("details"), row.getString("client_address"), Jdbc.instant(row, "occurred_at")),
                page, Cursor.list("audit-events", organizationId));
    }
}
