package com.orgkeys.http.audit;

import com.orgkeys.application.audit.port.in.ListAuditEventsUseCase;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies;
import com.orgkeys.http.shared.Requests;

import java.time.Instant;

public final class AuditRoutes {
    record AuditEventJson(String id, String actor, String action, String target, String details,
                          String clientAddress, Instant occurredAt) {
        static AuditEventJson of(AuditEvent e) {
            return new AuditEventJson(e.id().toString(), e.actor().value(), e.action(), e.target(), e.details(),
                    e.clientAddress(), e.occurredAt());
        }
    }

    private final ListAuditEventsUseCase audit;
    private final Authenticator auth;

    public AuditRoutes(ListAuditEventsUseCase audit, Authenticator auth) {
        this.audit = audit;
        this.auth = auth;
    }

    public void register(Router router) {
        router.get("/api/audit-events", Access.USER, call -> call.json(200, JsonBodies.PageJson.of(
                audit.listAuditEvents(auth.requireCaller(call), Requests.page(call)).map(AuditEventJson::of))));
    }
}
