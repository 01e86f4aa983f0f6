package com.orgkeys.application.audit.service;

import com.orgkeys.application.audit.port.in.ExportAuditEventsUseCase.Range;
import com.orgkeys.application.testing.InMemoryAuditLog;
import com.orgkeys.application.testing.InMemoryOrganizationRepository;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.Slug;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExportAuditEventsServiceTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

    private final InMemoryStore store = new InMemoryStore();
    private final InMemoryAuditLog log = new InMemoryAuditLog(store);
    /** Exports are audited at EXPORTED_AT, after every event the tests make; {@link #list} leaves those records out. */
    private static final Instant EXPORTED_AT = T0.plusSeconds(86_400);
    private final ExportAuditEventsService export = new ExportAuditEventsService(log,
            new Audit(log, Clock.fixed(EXPORTED_AT, ZoneOffset.UTC)), 2);
    private final OrganizationId acme = organization("acme");
    private final OrganizationId other = organization("other");

    @Test
    public void the_export_is_the_range_oldest_first_across_batches_and_only_this_organization() {
        List<AuditEvent> acmeEvents = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            acmeEvents.add(event(acme, T0.plusSeconds(i)));
            event(other, T0.plusSeconds(i));
        }

        assertEquals(acmeEvents, list(export.exportAuditEvents(caller(acme, Permission.MEMBERSHIPS_MANAGE),
                Range.everything())));
        assertEquals(acmeEvents.subList(2, 6), list(export.exportAuditEvents(caller(acme, Permission.MEMBERSHIPS_MANAGE),
                new Range(Optional.of(T0.plusSeconds(2)), Optional.of(T0.plusSeconds(6))))), "from ≤ t < to");
        assertEquals(acmeEvents.subList(0, 6), list(export.exportAuditEvents(caller(acme, Permission.MEMBERSHIPS_MANAGE),
                new Range(Optional.empty(), Optional.of(T0.plusSeconds(6))))), "to only, a batch boundary");
    }

    @Test
    public void the_batches_are_read_as_the_export_is_iterated() {
        event(acme, T0);
        Iterable<AuditEvent> events = export.exportAuditEvents(caller(acme, Permission.MEMBERSHIPS_MANAGE),
                Range.everything());
        AuditEvent later = event(acme, T0.plusSeconds(1));

        assertEquals(2, list(events).size(), "nothing read before iterating: " + later.id());
    }

    @Test
    public void only_a_caller_who_may_manage_memberships_exports_and_before_anything_is_read() {
        event(acme, T0);
        assertThrows(ForbiddenException.class,
                () -> export.exportAuditEvents(caller(acme, Permission.MEMBERSHIPS_READ), Range.everything()));
        assertThrows(ForbiddenException.class, () -> export.exportAuditEvents(new UserCaller(UserId.random(),
                SessionId.random(), Optional.empty(), Optional.empty(), Set.of(), "203.0.113.7"), Range.everything()));
        assertEquals(List.of(), exports(acme), "a refused export is not recorded as one");
    }

    @Test
    public void each_export_is_audited_with_its_caller_and_range_when_it_is_asked_for() {
        Caller caller = caller(acme, Permission.MEMBERSHIPS_MANAGE);
        export.exportAuditEvents(caller, new Range(Optional.of(T0), Optional.empty())); // never iterated
        export.exportAuditEvents(caller, Range.everything());

        List<AuditEvent> exports = exports(acme);
        assertEquals(2, exports.size());
        // both at EXPORTED_AT: in id order, which is random
        assertEquals(Set.of("from=" + T0 + " to=", "from= to="), Set.copyOf(exports.stream().map(AuditEvent::details).toList()));
        assertEquals(Set.of(caller.actor()), Set.copyOf(exports.stream().map(AuditEvent::actor).toList()));
        assertEquals(Set.of(EXPORTED_AT), Set.copyOf(exports.stream().map(AuditEvent::occurredAt).toList()));
        assertEquals(List.of(), exports(other));
    }

    private List<AuditEvent> exports(OrganizationId organization) {
        List<AuditEvent> all = new ArrayList<>();
        log.oldestFirst(organization, Optional.empty(), Optional.empty(), Optional.empty(), 1_000).forEach(all::add);
        return all.stream().filter(e -> e.action().equals("audit_log.exported")).toList();
    }

    @Test
    public void a_range_that_ends_before_it_starts_or_leaves_the_storable_years_is_refused() {
        var reversed = assertThrows(InvalidInputException.class,
                () -> new Range(Optional.of(T0.plusSeconds(1)), Optional.of(T0)));
        assertEquals(List.of(new FieldError("from", "must not be after to")), reversed.errors());
        var outside = assertThrows(InvalidInputException.class,
                () -> new Range(Optional.of(Instant.parse("-0001-01-01T00:00:00Z")), Optional.of(Instant.MAX)));
        assertEquals(List.of("from", "to"), outside.errors().stream().map(FieldError::field).toList());
        assertEquals(T0, new Range(Optional.of(T0), Optional.of(T0)).from().orElseThrow(), "an empty range is fine");
    }

    private static List<AuditEvent> list(Iterable<AuditEvent> events) {
        List<AuditEvent> all = new ArrayList<>();
        events.forEach(e -> {
            if (!e.action().equals("audit_log.exported")) all.add(e);
        });
        return all;
    }

    private static Caller caller(OrganizationId organization, Permission permission) {
        return new UserCaller(UserId.random(), SessionId.random(), Optional.of(organization), Optional.empty(),
                Set.of(permission), "203.0.113.7");
    }

    private OrganizationId organization(String slug) {
        Organization organization = new Organization(OrganizationId.random(), slug, new Slug(slug), T0);
        new InMemoryOrganizationRepository(store).insert(organization);
        return organization.id();
    }

    private AuditEvent event(OrganizationId organization, Instant at) {
        AuditEvent event = new AuditEvent(UUID.randomUUID(), organization, new UserActor(UserId.random()),
                "member.added", "", "", "203.0.113.7", at);
        log.record(event);
        return event;
    }
}
