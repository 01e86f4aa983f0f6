package com.orgkeys.application.audit.port.in;

import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

/** The organization's audit trail, newest first (needs {@code org:sys_memberships:manage}). */
public interface ListAuditEventsUseCase {
    Page<AuditEvent> listAuditEvents(Caller caller, PageRequest page);
}
