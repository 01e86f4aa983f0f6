package com.orgkeys.application.contract;

import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

public abstract class AuditLogContract extends RepositoryContract {
    @Test
    public void events_come_newest_first_a_page_at_a_time_with_the_total_count() {
        Organization acme = given.organization("Acme");
        AuditEvent second = given.auditEvent(acme, "member.added", at(Duration.ofMinutes(2)));
        AuditEvent third = given.auditEvent(acme, "member.role_changed", at(Duration.ofMinutes(3)));
        AuditEvent first = given.auditEvent(acme, "organization.created", at(Duration.ofMinutes(1)));
        given.auditEvent(given.organization("Other"), "organization.created", at(Duration.ofMinutes(4)));

        Page<AuditEvent> page1 = repositories.auditLog().page(acme.id(), new PageRequest(1, 2));
        Page<AuditEvent> page2 = repositories.auditLog().page(acme.id(), new PageRequest(2, 2));

        assertEquals(new Page<>(List.of(third, second), 3), page1);
        assertEquals(new Page<>(List.of(first), 3), page2);
    }

    @Test
    public void an_organization_without_events_has_an_empty_log() {
        Organization acme = given.organization("Acme");
        given.auditEvent(given.organization("Other"), "organization.created", at(Duration.ZERO));

        assertEquals(new Page<AuditEvent>(List.of(), 0), repositories.auditLog().page(acme.id(), PageRequest.first(10)));
    }
}
