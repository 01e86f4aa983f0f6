package com.orgkeys.application.contract;

import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.organization.Organization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The audit log's reads and deletes for the export (keyset, oldest first) and for the retention job. */
public abstract class AuditLogRetentionContract extends RepositoryContract {
    // at one instant, by id as PostgreSQL orders uuids (bytes), not as UUID.compareTo (signed longs) would
    private static final UUID LOW = UUID.fromString("10000000-0000-4000-8000-000000000000");
    private static final UUID HIGH = UUID.fromString("f0000000-0000-4000-8000-000000000000");

    @Test
    public void the_export_reads_oldest_first_in_keyset_batches_within_the_range() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        AuditEvent before = event(acme, UUID.randomUUID(), at(Duration.ofMinutes(1)));
        AuditEvent atFromHigh = event(acme, HIGH, at(Duration.ofMinutes(2)));
        AuditEvent atFromLow = event(acme, LOW, at(Duration.ofMinutes(2)));
        AuditEvent middle = event(acme, UUID.randomUUID(), at(Duration.ofMinutes(3)));
        event(other, UUID.randomUUID(), at(Duration.ofMinutes(3)));
        AuditEvent last = event(acme, UUID.randomUUID(), at(Duration.ofMinutes(4)).minusNanos(1_000));
        event(acme, UUID.randomUUID(), at(Duration.ofMinutes(4))); // at `to`: excluded

        Optional<Instant> from = Optional.of(at(Duration.ofMinutes(2)));
        Optional<Instant> to = Optional.of(at(Duration.ofMinutes(4)));
        List<AuditEvent> read = new ArrayList<>();
        Optional<AuditEvent> after = Optional.empty();
        for (int batches = 0; batches < 10; batches++) {
            List<AuditEvent> batch = log().oldestFirst(acme.id(), from, to, after, 2);
            read.addAll(batch);
            if (batch.size() < 2) break;
            after = Optional.of(batch.getLast());
        }

        assertEquals(List.of(atFromLow, atFromHigh, middle, last), read);
        assertEquals(List.of(before, atFromLow), log().oldestFirst(acme.id(), Optional.empty(), Optional.empty(),
                Optional.empty(), 2), "open range");
        assertEquals(List.of(), log().oldestFirst(acme.id(), from, from, Optional.empty(), 10), "empty range");
    }

    @Test
    public void retention_reads_and_deletes_the_oldest_events_of_every_organization_before_the_cutoff() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        AuditEvent oldest = event(other, UUID.randomUUID(), at(Duration.ofMinutes(1)));
        AuditEvent old = event(acme, UUID.randomUUID(), at(Duration.ofMinutes(2)));
        event(acme, UUID.randomUUID(), at(Duration.ofMinutes(3)));
        AuditEvent atCutoff = event(acme, UUID.randomUUID(), at(Duration.ofMinutes(4)));
        Instant cutoff = at(Duration.ofMinutes(4));

        assertEquals(List.of(oldest, old), log().oldestBefore(cutoff, 2));
        assertEquals(2, log().delete(List.of(oldest, old)));
        assertEquals(0, log().delete(List.of(oldest)), "already gone");
        assertEquals(0, log().delete(List.of()));
        assertEquals(1, log().deleteOldestBefore(cutoff, 10));
        assertEquals(List.of(), log().oldestBefore(cutoff, 10));
        assertEquals(List.of(atCutoff), log().oldestFirst(acme.id(), Optional.empty(), Optional.empty(),
                Optional.empty(), 10));
        assertEquals(List.of(), log().oldestFirst(other.id(), Optional.empty(), Optional.empty(), Optional.empty(), 10));
        assertEquals(0, log().deleteOldestBefore(cutoff, 10));
        assertEquals(List.of(atCutoff), log().oldestBefore(cutoff.plusNanos(1_000), 10));
    }

    @Test
    public void deleting_the_oldest_stops_at_the_limit() {
        Organization acme = given.organization("Acme");
        for (int i = 1; i <= 5; i++) event(acme, UUID.randomUUID(), at(Duration.ofMinutes(i)));

        assertEquals(3, log().deleteOldestBefore(at(Duration.ofHours(1)), 3));
        assertEquals(List.of(at(Duration.ofMinutes(4)), at(Duration.ofMinutes(5))),
                log().oldestBefore(at(Duration.ofHours(1)), 10).stream().map(AuditEvent::occurredAt).toList());
    }

    private AuditLog log() {
        return repositories.auditLog();
    }

    private AuditEvent event(Organization organization, UUID id, Instant occurredAt) {
        AuditEvent event = new AuditEvent(id, organization.id(), new UserActor(UserId.random()), "member.added",
                "target \"quoted\"", "details\nline", "203.0.113.7", occurredAt);
        log().record(event);
        return event;
    }
}
