package com.orgkeys.application.retention.service;

import com.orgkeys.application.apikey.port.out.ApiKeyUsageRepository;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.application.retention.port.in.PurgeEndedRecordsUseCase.Purged;
import com.orgkeys.application.testing.InMemoryInvitationRepository;
import com.orgkeys.application.testing.InMemoryJobLock;
import com.orgkeys.application.testing.InMemorySessionRepository;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryUserRepository;
import com.orgkeys.application.testing.InMemoryOrganizationRepository;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.Slug;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetentionServiceTest {
    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");
    private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(200));

    private final InMemoryStore store = new InMemoryStore();
    private final InMemorySessionRepository sessions = new InMemorySessionRepository(store);
    private final InMemoryInvitationRepository invitations = new InMemoryInvitationRepository(store);
    private final InMemoryJobLock lock = new InMemoryJobLock();
    private final RetentionService retention = new RetentionService(sessions, invitations, lock,
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(30), 2, 2);
    private final UserId alice = user();
    private final OrganizationId acme = organization();

    @Test
    public void a_run_deletes_in_batches_up_to_its_bound_and_the_next_run_goes_on() {
        for (int i = 0; i < 5; i++) session(LONG_AGO);
        for (int i = 0; i < 3; i++) invitation(LONG_AGO);
        Session active = session(NOW);
        Invitation pending = invitation(NOW);

        assertEquals(new Purged(4, 3, false), retention.purge(), "2 batches of 2 at most per table");
        assertEquals(new Purged(1, 0, false), retention.purge());
        assertEquals(new Purged(0, 0, false), retention.purge());
        assertEquals(Optional.of(active), sessions.findByTokenHash(active.tokenHash()));
        assertEquals(Optional.of(pending), invitations.findByTokenHash(pending.tokenHash()));
    }

    @Test
    public void records_ended_within_the_retention_period_stay() {
        Session recent = session(NOW.minus(Duration.ofDays(30)).minus(Session.IDLE_TIMEOUT).plusSeconds(1));

        assertEquals(new Purged(0, 0, false), retention.purge());
        assertEquals(Optional.of(recent), sessions.findByTokenHash(recent.tokenHash()));
    }

    @Test
    public void a_run_is_skipped_while_another_node_holds_the_lock() {
        Session ended = session(LONG_AGO);
        lock.holdElsewhere(true);

        assertEquals(new Purged(0, 0, true), retention.purge());
        assertEquals(Optional.of(ended), sessions.findByTokenHash(ended.tokenHash()));

        lock.holdElsewhere(false);
        assertEquals(new Purged(1, 0, false), retention.purge());
    }

    @Test
    public void key_usage_days_older_than_90_go_in_batches_too() {
        List<LocalDate> cutoffs = new ArrayList<>();
        int[] old = {5};
        ApiKeyUsageRepository usage = new ApiKeyUsageRepository() {
            public void add(List<KeyDayCounts> counts) {
            }

            public List<DailyUsage> days(OrganizationId organizationId, ApiKeyId id, LocalDate from) {
                return List.of();
            }

            public Optional<String> lastUsedAddress(OrganizationId organizationId, ApiKeyId id) {
                return Optional.empty();
            }

            public int deleteBefore(LocalDate day, int limit) {
                cutoffs.add(day);
                int deleted = Math.min(limit, old[0]);
                old[0] -= deleted;
                return deleted;
            }
        };
        RetentionService withUsage = new RetentionService(sessions, invitations, lock, Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofDays(30), 2, 2).deletingKeyUsage(usage);

        assertEquals(new Purged(0, 0, 0, false, Optional.empty(), 4), withUsage.purge(), "2 batches of 2");
        assertEquals(new Purged(0, 0, 0, false, Optional.empty(), 1), withUsage.purge());
        // today (2025-06-01) and the 89 days before it stay
        assertEquals(LocalDate.of(2025, 3, 4), cutoffs.getFirst());
        lock.holdElsewhere(true);
        assertEquals(new Purged(0, 0, true), withUsage.purge());
        assertEquals(3, cutoffs.size(), "nothing deleted while another node holds the lock");
    }

    private UserId user() {
        User user = new User(UserId.random(), new Email("alice-" + UUID.randomUUID() + "@example.com"), "Alice",
                "hash", LONG_AGO);
        new InMemoryUserRepository(store).insert(user);
        return user.id();
    }

    private OrganizationId organization() {
        Organization organization = new Organization(OrganizationId.random(), "Acme", new Slug("acme"), LONG_AGO);
        new InMemoryOrganizationRepository(store).insert(organization);
        return organization.id();
    }

    private Session session(Instant at) {
        Session session = new Session(SessionId.random(), alice, "token-" + UUID.randomUUID(), Optional.empty(), at, at,
                "Firefox", "203.0.113.7", Optional.empty());
        sessions.insert(session);
        return session;
    }

    private Invitation invitation(Instant at) {
        Invitation invitation = new Invitation(InvitationId.random(), acme, new Email("bob@example.com"),
                RoleKey.MEMBER, "token-" + UUID.randomUUID(), alice, at, at.plus(Invitation.VALIDITY),
                Optional.empty(), Optional.empty());
        invitations.insert(invitation);
        return invitation;
    }
}
