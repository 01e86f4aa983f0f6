package com.orgkeys.application.retention.service;

import com.orgkeys.application.retention.port.in.PurgeEndedRecordsUseCase.Purged;
import com.orgkeys.application.retention.port.out.AuditArchive;
import com.orgkeys.application.retention.service.RetentionService.AuditRetention;
import com.orgkeys.application.testing.InMemoryAuditLog;
import com.orgkeys.application.testing.InMemoryInvitationRepository;
import com.orgkeys.application.testing.InMemoryJobLock;
import com.orgkeys.application.testing.InMemoryOrganizationRepository;
import com.orgkeys.application.testing.InMemorySessionRepository;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.Slug;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The retention job's audit part: AUDIT_RETENTION_DAYS, and AUDIT_ARCHIVE_DIR before anything is deleted. */
class AuditRetentionTest {
    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");
    private static final Duration YEAR = Duration.ofDays(365);

    private final InMemoryStore store = new InMemoryStore();
    private final InMemoryAuditLog auditLog = new InMemoryAuditLog(store);
    private final InMemoryJobLock lock = new InMemoryJobLock();
    private final OrganizationId acme = organization("acme");
    private final OrganizationId other = organization("other");

    /** Records what it is given, or fails like a directory it cannot write. */
    private static final class RecordingArchive implements AuditArchive {
        final List<List<AuditEvent>> batches = new ArrayList<>();
        final List<Instant> runs = new ArrayList<>();
        boolean failing;

        @Override
        public void append(List<AuditEvent> events, Instant runAt) {
            if (failing) throw new ArchiveFailedException("cannot append to /archive: read-only", null);
            batches.add(List.copyOf(events));
            runs.add(runAt);
        }

        List<UUID> ids() {
            return batches.stream().flatMap(List::stream).map(AuditEvent::id).toList();
        }
    }

    private RetentionService retention(Optional<AuditArchive> archive) {
        return new RetentionService(new InMemorySessionRepository(store), new InMemoryInvitationRepository(store), lock,
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(30),
                Optional.of(new AuditRetention(auditLog, YEAR, archive)), 2, 2);
    }

    @Test
    public void events_older_than_the_audit_retention_go_in_every_organization_and_newer_ones_stay() {
        event(acme, NOW.minus(YEAR).minusSeconds(1));
        event(other, NOW.minus(YEAR).minus(Duration.ofDays(400)));
        event(other, NOW.minus(YEAR).minusMillis(1));
        AuditEvent atTheLimit = event(acme, NOW.minus(YEAR));
        AuditEvent recent = event(other, NOW.minus(Duration.ofDays(1)));
        RetentionService retention = retention(Optional.empty());

        assertEquals(new Purged(0, 0, 3, false, Optional.empty()), retention.purge());
        assertEquals(List.of(atTheLimit), auditLog.all(acme));
        assertEquals(List.of(recent), auditLog.all(other));
        assertEquals(new Purged(0, 0, 0, false, Optional.empty()), retention.purge());
    }

    @Test
    public void a_run_deletes_at_most_its_batches_and_the_next_run_goes_on() {
        for (int i = 0; i < 5; i++) event(acme, NOW.minus(YEAR).minus(Duration.ofDays(i + 1)));
        RetentionService retention = retention(Optional.empty());

        assertEquals(4, retention.purge().auditEvents(), "2 batches of 2");
        assertEquals(1, retention.purge().auditEvents());
        assertEquals(List.of(), auditLog.all(acme));
    }

    @Test
    public void without_audit_retention_events_are_kept_for_ever() {
        AuditEvent ancient = event(acme, NOW.minus(Duration.ofDays(3650)));
        RetentionService retention = new RetentionService(new InMemorySessionRepository(store),
                new InMemoryInvitationRepository(store), lock, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(30),
                Optional.empty(), 2, 2);

        assertEquals(new Purged(0, 0, 0, false, Optional.empty()), retention.purge());
        assertEquals(List.of(ancient), auditLog.all(acme));
    }

    @Test
    public void every_deleted_event_is_archived_once_oldest_first_before_it_goes() {
        List<UUID> old = new ArrayList<>();
        for (int i = 0; i < 5; i++) old.add(event(i % 2 == 0 ? acme : other, NOW.minus(YEAR).minus(Duration.ofDays(10 - i))).id());
        AuditEvent recent = event(acme, NOW);
        RecordingArchive archive = new RecordingArchive();
        RetentionService retention = retention(Optional.of(archive));

        assertEquals(4, retention.purge().auditEvents());
        assertEquals(1, retention.purge().auditEvents());
        assertEquals(0, retention.purge().auditEvents());

        assertEquals(old, archive.ids(), "each once, oldest first");
        assertEquals(List.of(2, 2, 1), archive.batches.stream().map(List::size).toList());
        assertEquals(List.of(NOW, NOW, NOW), archive.runs);
        assertEquals(List.of(recent), auditLog.all(acme));
        assertEquals(List.of(), auditLog.all(other));
    }

    @Test
    public void an_archive_that_fails_keeps_every_event_and_says_why() {
        AuditEvent old = event(acme, NOW.minus(YEAR).minus(Duration.ofDays(1)));
        RecordingArchive archive = new RecordingArchive();
        archive.failing = true;
        RetentionService retention = retention(Optional.of(archive));

        assertEquals(new Purged(0, 0, 0, false, Optional.of("cannot append to /archive: read-only")),
                retention.purge());
        assertEquals(List.of(old), auditLog.all(acme));

        archive.failing = false;
        assertEquals(1, retention.purge().auditEvents());
        assertEquals(List.of(old.id()), archive.ids());
    }

    @Test
    public void audit_events_stay_while_another_node_holds_the_lock() {
        AuditEvent old = event(acme, NOW.minus(YEAR).minus(Duration.ofDays(1)));
        lock.holdElsewhere(true);
        RetentionService retention = retention(Optional.empty());

        assertEquals(new Purged(0, 0, 0, true, Optional.empty()), retention.purge());
        assertEquals(List.of(old), auditLog.all(acme));
    }

    private OrganizationId organization(String slug) {
        Organization organization = new Organization(OrganizationId.random(), slug, new Slug(slug), NOW.minus(YEAR));
        new InMemoryOrganizationRepository(store).insert(organization);
        return organization.id();
    }

    private AuditEvent event(OrganizationId organization, Instant at) {
        AuditEvent event = new AuditEvent(UUID.randomUUID(), organization, new UserActor(UserId.random()),
                "member.added", "", "", "203.0.113.7", at);
        auditLog.record(event);
        return event;
    }
}
