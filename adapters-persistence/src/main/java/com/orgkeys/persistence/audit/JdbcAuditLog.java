package com.orgkeys.persistence.audit;

import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.persistence.database.Jdbc;

import java.util.List;

public final class JdbcAuditLog implements AuditLog {
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
        List<AuditEvent> events = jdbc.list("""
                SELECT id, organization_id, actor, action, target, details, client_address, occurred_at
                  FROM audit_events
                 WHERE organization_id = ?
                 ORDER BY occurred_at DESC, id DESC
                 LIMIT ? OFFSET ?""",
                row -> new AuditEvent(Jdbc.uuid(row, "id"), new OrganizationId(Jdbc.uuid(row, "organization_id")),
                        Actor.of(row.getString("actor")), row.getString("action"), row.getString("target"),
                        row.getString("details"), row.getString("client_address"), Jdbc.instant(row, "occurred_at")),
                organizationId.value(), page.pageSize(), page.offset());
        long total = jdbc.count("SELECT count(*) FROM audit_events WHERE organization_id = ?", organizationId.value());
        return new Page<>(events, total);
    }
}
