package com.orgkeys.application.audit.service;

import com.orgkeys.application.audit.port.in.ListAuditEventsUseCase.NamedAuditEvent;
import com.orgkeys.application.testing.InMemoryAuditLog;
import com.orgkeys.application.testing.InMemoryOrganizationRepository;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryUserRepository;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.audit.AuditFilter;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.caller.Actor.ApiKeyActor;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.Slug;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ListAuditEventsServiceTest {
    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    private final InMemoryStore store = new InMemoryStore();
    private final InMemoryAuditLog log = new InMemoryAuditLog(store);
    private final ListAuditEventsService service = new ListAuditEventsService(log);
    private final Organization acme = new Organization(OrganizationId.random(), "Acme", new Slug("acme"), T0);
    private final User ada = new User(UserId.random(), new Email("ada@example.com"), "Ada", "x", T0);
    private final User nils = new User(UserId.random(), new Email("nils@example.com"), "Nils", "x", T0);

    ListAuditEventsServiceTest() {
        new InMemoryOrganizationRepository(store).insert(acme);
        new InMemoryUserRepository(store).insert(ada);
        new InMemoryUserRepository(store).insert(nils);
    }

    @Test
    void people_and_objects_are_named_and_what_was_deleted_keeps_its_recorded_name_or_reads_deleted() {
        ApiKeyId goneKey = ApiKeyId.random();
        record(new UserActor(ada.id()), "member.role_changed", nils.id().toString(), "org:admin -> org:member", 1);
        record(new ApiKeyActor(goneKey), "role.updated", "org:member", "name=Member", 2);
        record(new UserActor(ada.id()), "api_key.revoked", goneKey.toString(), "name=deploy bot reason=leaked", 3);
        record(new UserActor(UserId.random()), "role.deleted", "org:billing", "", 4);
        record(new UserActor(ada.id()), "audit_log.exported", "", "from= to=", 5);

        List<NamedAuditEvent> named = service.listNamedAuditEvents(caller(Permission.MEMBERSHIPS_MANAGE),
                AuditFilter.NONE, PageRequest.first(10)).data();

        assertEquals(List.of("Ada (ada@example.com)", "deleted", "Ada (ada@example.com)", "deleted", "Ada (ada@example.com)"),
                named.reversed().stream().map(NamedAuditEvent::actorName).toList());
        assertEquals(List.of(Optional.of("Nils (nils@example.com)"), Optional.of("Member"), Optional.of("deploy bot (deleted)"),
                Optional.of("org:billing (deleted)"), Optional.empty()),
                named.reversed().stream().map(NamedAuditEvent::targetName).toList());
        assertEquals(List.of(true, true, false, false, false),
                named.reversed().stream().map(NamedAuditEvent::targetExists).toList());
    }

    @Test
    void the_filter_is_applied_and_only_managers_read_the_log() {
        record(new UserActor(ada.id()), "role.created", "org:x", "", 1);
        record(new UserActor(nils.id()), "role.created", "org:y", "", 2);

        var mine = service.listNamedAuditEvents(caller(Permission.MEMBERSHIPS_MANAGE),
                AuditFilter.of("role.created", "user:" + ada.id()), PageRequest.first(10));

        assertEquals(List.of("org:x"), mine.data().stream().map(e -> e.event().target()).toList());
        assertThrows(ForbiddenException.class, () -> service.listNamedAuditEvents(caller(Permission.MEMBERSHIPS_READ),
                AuditFilter.NONE, PageRequest.first(10)));
    }

    private void record(Actor actor, String action, String target, String details, int minute) {
        log.record(new AuditEvent(UUID.randomUUID(), acme.id(), actor, action, target, details, "203.0.113.7",
                T0.plusSeconds(60L * minute)));
    }

    private Caller caller(Permission permission) {
        return new UserCaller(ada.id(), SessionId.random(), Optional.of(acme.id()), Optional.empty(), Set.of(permission),
                "203.0.113.7");
    }
}
