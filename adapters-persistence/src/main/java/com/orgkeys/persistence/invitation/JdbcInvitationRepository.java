package com.orgkeys.persistence.invitation;

import com.orgkeys.application.invitation.port.out.InvitationRepository;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class JdbcInvitationRepository implements InvitationRepository {
    private static final String COLUMNS = """
            id, organization_id, email, role_key, token_hash, invited_by, created_at, expires_at, accepted_at,
            revoked_at""";
    private static final String PENDING = "accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?";

    private final Jdbc jdbc;

    public JdbcInvitationRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Invitation invitation) {
        jdbc.update("""
                INSERT INTO invitations (id, organization_id, email, role_key, token_hash, invited_by, created_at,
                                         expires_at, accepted_at, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                invitation.id().value(), invitation.organizationId().value(), invitation.email().value(),
                invitation.role().value(), invitation.tokenHash(), invitation.invitedBy().value(),
                invitation.createdAt(), invitation.expiresAt(), invitation.acceptedAt().orElse(null),
                invitation.revokedAt().orElse(null));
    }

    @Override
    public Optional<Invitation> find(OrganizationId organizationId, InvitationId id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM invitations WHERE organization_id = ? AND id = ?",
                JdbcInvitationRepository::invitation, organizationId.value(), id.value());
    }

    @Override
    public Optional<Invitation> findByTokenHash(String tokenHash) {
        // the token is the only thing the invitee has; it names the organization through the row
        return jdbc.one("SELECT " + COLUMNS + " FROM invitations WHERE token_hash = ?",
                JdbcInvitationRepository::invitation, tokenHash);
    }

    @Override
    public List<Invitation> listPending(OrganizationId organizationId, Instant now) {
        return jdbc.list("SELECT " + COLUMNS + " FROM invitations WHERE organization_id = ? AND " + PENDING
                        + " ORDER BY created_at DESC, id",
                JdbcInvitationRepository::invitation, organizationId.value(), now);
    }

    @Override
    public Optional<Invitation> findPendingForEmail(OrganizationId organizationId, Email email, Instant now) {
        return jdbc.list("SELECT " + COLUMNS + " FROM invitations WHERE organization_id = ? AND email = ? AND "
                        + PENDING + " ORDER BY created_at DESC, id LIMIT 1",
                JdbcInvitationRepository::invitation, organizationId.value(), email.value(), now)
                .stream().findFirst();
    }

    @Override
    public void update(Invitation invitation) {
        jdbc.update("""
                UPDATE invitations SET accepted_at = ?, revoked_at = ?
                 WHERE organization_id = ? AND id = ?""",
                invitation.acceptedAt().orElse(null), invitation.revokedAt().orElse(null),
                invitation.organizationId().value(), invitation.id().value());
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        // each arm has an index (V8); no other table refers to invitations
        return jdbc.update("""
                DELETE FROM invitations WHERE id IN (
                    SELECT id FROM invitations
                     WHERE accepted_at < ? OR revoked_at < ? OR expires_at < ?
                     LIMIT ?)""",
                cutoff, cutoff, cutoff, limit);
    }

    private static Invitation invitation(ResultSet row) throws SQLException {
        return new Invitation(new InvitationId(Jdbc.uuid(row, "id")),
                new OrganizationId(Jdbc.uuid(row, "organization_id")), new Email(row.getString("email")),
                new RoleKey(row.getString("role_key")), row.getString("token_hash"),
                new UserId(Jdbc.uuid(row, "invited_by")), Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "expires_at"), Optional.ofNullable(Jdbc.instant(row, "accepted_at")),
                Optional.ofNullable(Jdbc.instant(row, "revoked_at")));
    }
}
