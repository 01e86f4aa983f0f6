package com.orgkeys.application.contract;

import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.audit.AuditFilter;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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

    @Test
    public void a_filter_lists_only_the_events_of_its_action_and_actor_a_page_at_a_time() {
        Organization acme = given.organization("Acme");
        Actor ada = new UserActor(given.user("Ada").id());
        Actor bob = new UserActor(given.user("Bob").id());
        List<AuditEvent> adasKeys = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            adasKeys.add(given.auditEvent(acme, ada, "api_key.created", "t" + i, at(Duration.ofMinutes(i))));
            given.auditEvent(acme, bob, "api_key.created", "b" + i, at(Duration.ofMinutes(i)));
            given.auditEvent(acme, ada, "role.created", "r" + i, at(Duration.ofMinutes(i)));
        }
        given.auditEvent(given.organization("Other"), ada, "api_key.created", "elsewhere", at(Duration.ofMinutes(9)));
        AuditFilter both = new AuditFilter(Optional.of("api_key.created"), Optional.of(ada));

        Page<AuditEvent> first = repositories.auditLog().page(acme.id(), both, PageRequest.first(2));

        assertEquals(List.of(adasKeys.get(4), adasKeys.get(3)), first.data());
        assertEquals(5, first.totalCount());
        assertEquals(10, repositories.auditLog().page(acme.id(), AuditFilter.of("api_key.created", ""),
                PageRequest.first(50)).totalCount());
        assertEquals(10, repositories.auditLog().page(acme.id(), AuditFilter.of("", ada.value()),
                PageRequest.first(50)).totalCount());
        List<AuditEvent> walked = new ArrayList<>(first.data());
        Page<AuditEvent> next = first;
        while (next.nextCursor().isPresent()) {
            next = repositories.auditLog().page(acme.id(), both, PageRequest.at(next.nextCursor().get(), 2));
            walked.addAll(next.data());
        }
        assertEquals(adasKeys.reversed(), walked);
        // a cursor of one filter is not one of another (nor of the whole log)
        KeysetChecks.cursorIsRefusedElsewhere(page -> repositories.auditLog().page(acme.id(), both, page),
                page -> repositories.auditLog().page(acme.id(), AuditFilter.of("role.created", ada.value()), page));
        KeysetChecks.cursorIsRefusedElsewhere(page -> repositories.auditLog().page(acme.id(), both, page),
                page -> repositories.auditLog().page(acme.id(), page));
    }

    @Test
    public void names_are_looked_up_for_the_references_of_the_organization_only() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        User ada = given.user("ada@example.com", "Ada");
        ApiKey key = given.apiKey(acme, "deploy bot", at(Duration.ZERO));
        ApiKey foreignKey = given.apiKey(other, "their bot", at(Duration.ZERO));
        Role billing = given.role(acme, "org:billing");
        given.role(other, "org:secret");
        Invitation invitation = given.invitation(acme, ada, "lin@example.com", at(Duration.ZERO));
        Invitation foreignInvitation = given.invitation(other, ada, "them@example.com", at(Duration.ZERO));

        Map<String, AuditLog.Name> names = repositories.auditLog().names(acme.id(), Set.of("user:" + ada.id(),
                "api_key:" + key.id(), "api_key:" + foreignKey.id(), "role:org:billing", "role:org:secret",
                "invitation:" + invitation.id(), "invitation:" + foreignInvitation.id(), "organization:" + acme.id(),
                "organization:" + other.id(), "api_key:not-an-id", "user:" + UUID.randomUUID(), "nonsense"));

        assertEquals(Map.of("user:" + ada.id(), new AuditLog.Name("Ada", "ada@example.com"),
                "api_key:" + key.id(), new AuditLog.Name("deploy bot", ""),
                "role:org:billing", new AuditLog.Name(billing.name(), ""),
                "invitation:" + invitation.id(), new AuditLog.Name("lin@example.com", ""),
                "organization:" + acme.id(), new AuditLog.Name("Acme", "")), names);
        assertEquals(Map.of(), repositories.auditLog().names(acme.id(), Set.of()));
    }
}
