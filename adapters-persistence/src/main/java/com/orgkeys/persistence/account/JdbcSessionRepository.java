package com.orgkeys.persistence.account;

import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public final class JdbcSessionRepository implements SessionRepository {
    private static final String COLUMNS =
            "id, user_id, token_hash, active_organization_id, created_at, last_active_at, user_agent, client_address, revoked_at";

    private final Jdbc jdbc;

    public JdbcSessionRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Session session) {
        jdbc.update("""
                INSERT INTO sessions (id, user_id, token_hash, active_organization_id, created_at, last_active_at,
                                      user_agent, client_address, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                session.id().value(), session.userId().value(), session.tokenHash(),
                session.activeOrganization().map(OrganizationId::value).orElse(null), session.createdAt(),
                session.lastActiveAt(), session.userAgent(), session.clientAddress(), session.revokedAt().orElse(null));
    }

    @Override
    public Optional<Session> findByTokenHash(String tokenHash) {
        return jdbc.one("SELECT " + COLUMNS + " FROM sessions WHERE token_hash = ?",
                JdbcSessionRepository::session, tokenHash);
    }

    @Override
    public List<Session> listActive(UserId userId, Instant now) {
        // the same rule as Session.isActiveAt, so that the fake and this agree
        return jdbc.list("SELECT " + COLUMNS + """
                 FROM sessions
                WHERE user_id = ?
                  AND revoked_at IS NULL
                  AND last_active_at > ?
                  AND created_at > ?
                ORDER BY last_active_at DESC, id""",
                JdbcSessionRepository::session, userId.value(), now.minus(Session.IDLE_TIMEOUT),
                now.minus(Session.ABSOLUTE_LIFETIME));
    }

    @Override
    public void touch(SessionId id, Instant lastActiveAt) {
        jdbc.update("UPDATE sessions SET last_active_at = ? WHERE id = ?", lastActiveAt, id.value());
    }

    @Override
    public void setActiveOrganization(SessionId id, Optional<OrganizationId> organizationId) {
        jdbc.update("UPDATE sessions SET active_organization_id = ? WHERE id = ?",
                organizationId.map(OrganizationId::value).orElse(null), id.value());
    }

    @Override
    public boolean revoke(UserId userId, SessionId id, Instant at) {
        return jdbc.update("""
                UPDATE sessions SET revoked_at = ?
                 WHERE id = ? AND user_id = ? AND revoked_at IS NULL""",
                at, id.value(), userId.value()) == 1;
    }

    @Override
    public List<Session> revokeOthers(UserId userId, SessionId keep, Instant at) {
        return jdbc.list("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL"
                + " RETURNING " + COLUMNS, JdbcSessionRepository::session, at, userId.value(), keep.value());
    }

    @Override
    public List<Session> revokeAll(UserId userId, Instant at) {
        return jdbc.list("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL RETURNING " + COLUMNS,
                JdbcSessionRepository::session, at, userId.value());
    }

    @Override
    public int deleteEndedBefore(Instant cutoff, int limit) {
        // the negation of Session.isActiveAt, moved back to the cutoff; each arm has an index (V8)
        return jdbc.update("""
                DELETE FROM sessions WHERE id IN (
                    SELECT id FROM sessions
                     WHERE revoked_at < ? OR last_active_at < ? OR created_at < ?
                     LIMIT ?)""",
                cutoff, cutoff.minus(Session.IDLE_TIMEOUT), cutoff.minus(Session.ABSOLUTE_LIFETIME), limit);
    }

    private static Session session(ResultSet row) throws SQLException {
        UUID organization = Jdbc.uuid(row, "active_organization_id");
        return new Session(new SessionId(Jdbc.uuid(row, "id")), new UserId(Jdbc.uuid(row, "user_id")),
                row.getString("token_hash"), Optional.ofNullable(organization).map(OrganizationId::new),
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "last_active_at"), row.getString("user_agent"),
                row.getString("client_address"),
                Optional.ofNullable(Jdbc.instant(row, "revoked_at")));
    }
    @Override
    public Optional<Session> findById(SessionId id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM sessions WHERE id = ?", JdbcSessionRepository::session, id.value());
    }

    /** The status filter in SQL, by the same rules as Session.status, so that the fake and this agree. */
    private static String where(UserId userId, Optional<Session.Status> status, Instant now, List<Object> params) {
        params.add(userId.value());
        String where = "user_id = ?";
        if (status.isEmpty()) return where;
        return switch (status.get()) {
            case REVOKED -> where + " AND revoked_at IS NOT NULL";
            case ACTIVE -> {
                params.add(now.minus(Session.IDLE_TIMEOUT));
                params.add(now.minus(Session.ABSOLUTE_LIFETIME));
                yield where + " AND revoked_at IS NULL AND last_active_at > ? AND created_at > ?";
            }
            case EXPIRED -> {
                params.add(now.minus(Session.IDLE_TIMEOUT));
                params.add(now.minus(Session.ABSOLUTE_LIFETIME));
                yield where + " AND revoked_at IS NULL AND (last_active_at <= ? OR created_at <= ?)";
            }
        };
    }

    @Override
    public List<Session> listForUser(UserId userId, Optional<Session.Status> status, Instant now, int limit, int offset) {
        List<Object> params = new ArrayList<>();
        String where = where(userId, status, now, params);
        params.add(limit);
        params.add(offset);
        return jdbc.list("SELECT " + COLUMNS + " FROM sessions WHERE " + where
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", JdbcSessionRepository::session, params.toArray());
    }

    @Override
    public long countForUser(UserId userId, Optional<Session.Status> status, Instant now, int cap) {
        List<Object> params = new ArrayList<>();
        String where = where(userId, status, now, params);
        params.add(cap);
        return jdbc.count("SELECT count(*) FROM (SELECT 1 FROM sessions WHERE " + where + " LIMIT ?) capped", params.toArray());
    }
}
