package com.orgkeys.application.audit.port.in;

import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.audit.AuditFilter;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.Optional;

/** The organization's audit trail, newest first (needs {@code org:sys_memberships:manage}). */
public interface ListAuditEventsUseCase {
    Page<AuditEvent> listAuditEvents(Caller caller, PageRequest page);

    /** The events {@code filter} matches, each with the names of who did it and of what it was done to. */
    Page<NamedAuditEvent> listNamedAuditEvents(Caller caller, AuditFilter filter, PageRequest page);

    /**
     * {@code actorName}: "Ada Lovelace (ada@example.com)", an API key's name, or "deleted". {@code targetName}: the
     * target's name now, else its last known one or "deleted"; empty for an event without a target.
     * {@code targetExists}: the target is still there (so a link to it leads somewhere).
     */
    record NamedAuditEvent(AuditEvent event, String actorName, Optional<String> targetName, boolean targetExists) {
    }
}
