package com.orgkeys.application.contract;

import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.organization.Organization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public abstract class SessionRepositoryContract extends RepositoryContract {
    @Test
    public void session_is_found_by_its_token_hash() {
        User alice = given.user("Alice");
        Session session = given.session(alice, T0, T0);

        assertEquals(Optional.of(session), repositories.sessions().findByTokenHash(session.tokenHash()));
        assertEquals(Optional.empty(), repositories.sessions().findByTokenHash("no-such-token"));
    }

    @Test
    public void active_sessions_exclude_revoked_and_expired_ones_and_come_most_recently_active_first() {
        User alice = given.user("Alice");
        User bob = given.user("Bob");
        Instant now = at(Duration.ofDays(20));
        Session older = given.session(alice, at(Duration.ofDays(10)), at(Duration.ofDays(15)));
        Session newer = given.session(alice, at(Duration.ofDays(10)), at(Duration.ofDays(19)));
        Session revoked = given.session(alice, at(Duration.ofDays(10)), at(Duration.ofDays(19)));
        repositories.sessions().revoke(alice.id(), revoked.id(), at(Duration.ofDays(19)));
        given.session(alice, at(Duration.ofDays(10)), now.minus(Session.IDLE_TIMEOUT)); // idle too long
        given.session(alice, now.minus(Session.ABSOLUTE_LIFETIME), at(Duration.ofDays(19))); // too old
        given.session(bob, at(Duration.ofDays(10)), at(Duration.ofDays(19)));

        assertEquals(List.of(newer, older), repositories.sessions().listActive(alice.id(), now));
    }

    @Test
    public void touch_records_the_last_activity() {
        User alice = given.user("Alice");
        Session session = given.session(alice, T0, T0);

        repositories.sessions().touch(session.id(), at(Duration.ofHours(1)));

        assertEquals(at(Duration.ofHours(1)),
                repositories.sessions().findByTokenHash(session.tokenHash()).orElseThrow().lastActiveAt());
    }

    @Test
    public void active_organization_can_be_set_and_cleared() {
        User alice = given.user("Alice");
        Organization acme = given.organization("Acme");
        Session session = given.session(alice, T0, T0);

        repositories.sessions().setActiveOrganization(session.id(), Optional.of(acme.id()));
        assertEquals(Optional.of(acme.id()), activeOrganizationOf(session));

        repositories.sessions().setActiveOrganization(session.id(), Optional.empty());
        assertEquals(Optional.empty(), activeOrganizationOf(session));
    }

    @Test
    public void deleting_the_active_organization_clears_it_and_keeps_the_session() {
        User alice = given.user("Alice");
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        Session inAcme = given.session(alice, T0, T0);
        Session inOther = given.session(alice, T0, T0);
        repositories.sessions().setActiveOrganization(inAcme.id(), Optional.of(acme.id()));
        repositories.sessions().setActiveOrganization(inOther.id(), Optional.of(other.id()));

        repositories.organizations().delete(acme.id());

        assertEquals(Optional.empty(), activeOrganizationOf(inAcme));
        assertEquals(Optional.of(other.id()), activeOrganizationOf(inOther));
    }

    @Test
    public void a_user_can_revoke_only_their_own_session() {
        User alice = given.user("Alice");
        User mallory = given.user("Mallory");
        Session session = given.session(alice, T0, T0);

        assertFalse(repositories.sessions().revoke(mallory.id(), session.id(), T0));
        assertEquals(Optional.empty(), revokedAt(session));

        assertTrue(repositories.sessions().revoke(alice.id(), session.id(), at(Duration.ofMinutes(5))));
        assertEquals(Optional.of(at(Duration.ofMinutes(5))), revokedAt(session));
    }

    @Test
    public void revoking_twice_or_an_unknown_session_reports_nothing_revoked() {
        User alice = given.user("Alice");
        Session session = given.session(alice, T0, T0);
        repositories.sessions().revoke(alice.id(), session.id(), at(Duration.ofMinutes(5)));

        assertFalse(repositories.sessions().revoke(alice.id(), session.id(), at(Duration.ofMinutes(9))));
        assertEquals(Optional.of(at(Duration.ofMinutes(5))), revokedAt(session));
        assertFalse(repositories.sessions().revoke(alice.id(), SessionId.random(), T0));
    }

    private Optional<com.orgkeys.domain.organization.OrganizationId> activeOrganizationOf(Session session) {
        return repositories.sessions().findByTokenHash(session.tokenHash()).orElseThrow().activeOrganization();
    }

    private Optional<Instant> revokedAt(Session session) {
        return repositories.sessions().findByTokenHash(session.tokenHash()).orElseThrow().revokedAt();
    }

    @Test
    public void sessions_that_ended_before_the_cutoff_are_deleted_and_the_others_stay() {
        User alice = given.user("Alice");
        Instant cutoff = at(Duration.ofDays(60));
        Session revokedLongAgo = given.session(alice, at(Duration.ofDays(55)), at(Duration.ofDays(58)));
        repositories.sessions().revoke(alice.id(), revokedLongAgo.id(), at(Duration.ofDays(59)));
        Session revokedRecently = given.session(alice, at(Duration.ofDays(55)), at(Duration.ofDays(60)));
        repositories.sessions().revoke(alice.id(), revokedRecently.id(), cutoff.plusSeconds(1));
        Session idleLongAgo = given.session(alice, at(Duration.ofDays(50)), cutoff.minus(Session.IDLE_TIMEOUT).minusSeconds(1));
        Session idleRecently = given.session(alice, at(Duration.ofDays(50)), cutoff.minus(Session.IDLE_TIMEOUT).plusSeconds(1));
        Session tooOldLongAgo = given.session(alice, cutoff.minus(Session.ABSOLUTE_LIFETIME).minusSeconds(1), at(Duration.ofDays(59)));
        Session tooOldRecently = given.session(alice, cutoff.minus(Session.ABSOLUTE_LIFETIME).plusSeconds(1), at(Duration.ofDays(59)));
        Session active = given.session(alice, at(Duration.ofDays(58)), cutoff);

        assertEquals(3, repositories.sessions().deleteEndedBefore(cutoff, 100));

        for (Session gone : List.of(revokedLongAgo, idleLongAgo, tooOldLongAgo)) {
            assertEquals(Optional.empty(), repositories.sessions().findByTokenHash(gone.tokenHash()));
        }
        for (Session kept : List.of(revokedRecently, idleRecently, tooOldRecently, active)) {
            assertTrue(repositories.sessions().findByTokenHash(kept.tokenHash()).isPresent());
        }
        assertEquals(0, repositories.sessions().deleteEndedBefore(cutoff, 100));
    }

    @Test
    public void deleting_ended_sessions_takes_at_most_the_limit_at_a_time() {
        User alice = given.user("Alice");
        for (int i = 0; i < 5; i++) given.session(alice, T0, T0);
        Session active = given.session(alice, at(Duration.ofDays(60)), at(Duration.ofDays(60)));
        Instant cutoff = at(Duration.ofDays(60));

        assertEquals(2, repositories.sessions().deleteEndedBefore(cutoff, 2));
        assertEquals(2, repositories.sessions().deleteEndedBefore(cutoff, 2));
        assertEquals(1, repositories.sessions().deleteEndedBefore(cutoff, 2));
        assertEquals(0, repositories.sessions().deleteEndedBefore(cutoff, 2));
        assertTrue(repositories.sessions().findByTokenHash(active.tokenHash()).isPresent());
    }

    @Test
    public void a_session_is_found_by_its_public_id() {
        User alice = given.user("Alice");
        Session session = given.session(alice, T0, T0);

        assertEquals(Optional.of(session), repositories.sessions().findById(session.id()));
        assertEquals(Optional.empty(), repositories.sessions().findById(SessionId.random()));
    }

    @Test
    public void a_users_sessions_are_listed_newest_first_by_status_and_counted() {
        User alice = given.user("Alice");
        User bob = given.user("Bob");
        Instant now = at(Duration.ofDays(20));
        Session active = given.session(alice, at(Duration.ofDays(12)), at(Duration.ofDays(19)));
        Session revoked = given.session(alice, at(Duration.ofDays(11)), at(Duration.ofDays(19)));
        repositories.sessions().revoke(alice.id(), revoked.id(), at(Duration.ofDays(19)));
        Session revokedNow = repositories.sessions().findById(revoked.id()).orElseThrow();
        Session idle = given.session(alice, at(Duration.ofDays(10)), now.minus(Session.IDLE_TIMEOUT));
        given.session(bob, at(Duration.ofDays(13)), at(Duration.ofDays(19)));
        var sessions = repositories.sessions();

        assertEquals(List.of(active, revokedNow, idle), sessions.listForUser(alice.id(), Optional.empty(), now, 10, 0));
        assertEquals(List.of(revokedNow), sessions.listForUser(alice.id(), Optional.empty(), now, 1, 1));
        assertEquals(List.of(active), sessions.listForUser(alice.id(), Optional.of(Session.Status.ACTIVE), now, 10, 0));
        assertEquals(List.of(revokedNow), sessions.listForUser(alice.id(), Optional.of(Session.Status.REVOKED), now, 10, 0));
        assertEquals(List.of(idle), sessions.listForUser(alice.id(), Optional.of(Session.Status.EXPIRED), now, 10, 0));
        assertEquals(3, sessions.countForUser(alice.id(), Optional.empty(), now, 100));
        assertEquals(2, sessions.countForUser(alice.id(), Optional.empty(), now, 2));
        assertEquals(1, sessions.countForUser(alice.id(), Optional.of(Session.Status.EXPIRED), now, 100));
    }
}
