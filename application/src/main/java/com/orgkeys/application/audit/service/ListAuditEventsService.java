package com.orgkeys.application.audit.service;

import com.orgkeys.application.audit.port.in.ListAuditEventsUseCase;
import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

public final class ListAuditEventsService implements ListAuditEventsUseCase {
    private final AuditLog log;

    public ListAuditEventsService(AuditLog log) {
        this.log = log;
    }

    @Override
    public Page<AuditEvent> listAuditEvents(Caller caller, PageRequest page) {
        return log.page(caller.require(Permission.MEMBERSHIPS_MANAGE), page);
    }
}
