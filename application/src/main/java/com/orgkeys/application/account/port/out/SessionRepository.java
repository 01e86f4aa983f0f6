package com.orgkeys.application.account.port.out;

import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.organization.OrganizationId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface SessionRepository {
    void insert(Session session);

    Optional<Session> findByTokenHash(String tokenHash);

    /** The user's sessions that are still valid at {@code now}, most recently active first. */
    List<Session> listActive(UserId userId, Instant now);

    void touch(SessionId id, Instant lastActiveAt);

    void setActiveOrganization(SessionId id, Optional<OrganizationId> organizationId);

    /** Revokes one of the user's own sessions; false when the user has no such unrevoked session. */
    boolean revoke(UserId userId, SessionId id, Instant at);

    /** Revokes every unrevoked session of the user (a password reset); those it revoked, as revoked. */
    List<Session> revokeAll(UserId userId, Instant at);

    /** Revokes every unrevoked session of the user but {@code keep} (a password change); those it revoked, as revoked. */
    List<Session> revokeOthers(UserId userId, SessionId keep, Instant at);

    /**
     * Deletes up to {@code limit} sessions that ended (revoked, idle too long or past their lifetime) before
     * {@code cutoff}; returns how many went.
     */
    int deleteEndedBefore(Instant cutoff, int limit);

    Optional<Session> findById(SessionId id);

    /**
     * The user's sessions, newest first, up to {@code limit} after the first {@code offset}; only those in
     * {@code status} at {@code now} when one is given.
     */
    List<Session> listForUser(UserId userId, Optional<Session.Status> status, Instant now, int limit, int offset);

    /** How many sessions {@link #listForUser} has in all, counting no further than {@code cap}. */
    long countForUser(UserId userId, Optional<Session.Status> status, Instant now, int cap);
}
