package com.orgkeys.application.contract;

import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

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

        assertEquals(new Page<>(List.of(third, second), 3), page1.withoutCursors());
        assertEquals(new Page<>(List.of(first), 3), page2.withoutCursors());
    }

    @Test
    public void an_organization_without_events_has_an_empty_log() {
        Organization acme = given.organization("Acme");
        given.auditEvent(given.organization("Other"), "organization.created", at(Duration.ZERO));

        assertEquals(new Page<AuditEvent>(List.of(), 0), repositories.auditLog().page(acme.id(), PageRequest.first(10)));
    }

    @Test
    public void a_cursor_walk_visits_every_event_once_while_events_are_recorded() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        List<AuditEvent> events = new ArrayList<>();
        // three in the same instant: ordered by id, descending as occurred_at
        for (int i = 1; i <= 7; i++) events.add(given.auditEvent(acme, "event." + i, at(Duration.ofMinutes(i <= 3 ? 3 : i))));
        given.auditEvent(other, "elsewhere", at(Duration.ofMinutes(5)));
        List<AuditEvent> ordered = events.stream().sorted(Comparator.comparing(AuditEvent::occurredAt)
                .thenComparing((AuditEvent e) -> e.id().toString()).reversed()).toList();
        Supplier<AuditEvent> another = () -> given.auditEvent(acme, "later", at(Duration.ofHours(1)));

        KeysetChecks.walkVisitsEveryRowOnceWhileRowsArrive(page -> repositories.auditLog().page(acme.id(), page), ordered,
                List.of(another, another));
        KeysetChecks.pageNumberPagesCarryCursors(page -> repositories.auditLog().page(acme.id(), page), 9);
        KeysetChecks.cursorIsRefusedElsewhere(page -> repositories.auditLog().page(acme.id(), page),
                page -> repositories.auditLog().page(other.id(), page));
        KeysetChecks.cursorIsRefusedElsewhere(page -> repositories.auditLog().page(acme.id(), page),
                page -> repositories.agents().page(acme.id(), page));
    }
}
