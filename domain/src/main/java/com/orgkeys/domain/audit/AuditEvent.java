package com.orgkeys.domain.audit;

import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.organization.OrganizationId;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A record that someone changed something in an organization: {@code action} is a dotted verb such as
 * {@code member.role_changed}.
 */
public record AuditEvent(UUID id, OrganizationId organizationId, Actor actor, String action, String target,
                         String details, String clientAddress, Instant occurredAt) {
    public AuditEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        target = target == null ? "" : target;
        details = details == null ? "" : details;
        clientAddress = clientAddress == null ? "" : clientAddress;
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
