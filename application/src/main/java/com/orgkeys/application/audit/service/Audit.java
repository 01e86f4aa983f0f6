package com.orgkeys.application.audit.service;

import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.organization.OrganizationId;

import java.time.Clock;
import java.util.UUID;

/** Writes audit events for the services; call it inside the transaction of the change. */
public final class Audit {
    private final AuditLog log;
    private final Clock clock;

    public Audit(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    public void record(Caller caller, OrganizationId organizationId, String action, String target, String details) {
        log.record(new AuditEvent(UUID.randomUUID(), organizationId, caller.actor(), action, target, details,
                caller.clientAddress(), clock.instant()));
    }

    /** An event of the user's own account (no session to speak for them: a password reset by mailed link). */
    public void recordForUser(UserId userId, OrganizationId organizationId, String action, String target,
                              String details, String clientAddress) {
        log.record(new AuditEvent(UUID.randomUUID(), organizationId, new Actor.UserActor(userId), action, target,
                details, clientAddress, clock.instant()));
    }

    /** An event caused by someone who is neither signed in nor a key (a leak report): {@code actor} says who. */
    public void recordAs(Actor actor, OrganizationId organizationId, String action, String target, String details,
                         String clientAddress) {
        log.record(new AuditEvent(UUID.randomUUID(), organizationId, actor, action, target, details, clientAddress,
                clock.instant()));
    }
}
