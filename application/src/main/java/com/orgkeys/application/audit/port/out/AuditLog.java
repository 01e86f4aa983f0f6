package com.orgkeys.application.audit.port.out;

import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

public interface AuditLog {
    /** Appends an event; called inside the transaction of the change it records. */
    void record(AuditEvent event);

    /** Newest first. */
    Page<AuditEvent> page(OrganizationId organizationId, PageRequest page);
}
