package com.orgkeys.persistence.membership;

import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.membership.UserOrganization;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.Slug;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.database.Keyset;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

public final class JdbcMembershipRepository implements MembershipRepository {
    /** Oldest membership first, ties by user id: the order of memberships_oldest_first. */
    private static final Keyset KEYSET = new Keyset("m.joined_at", "m.user_id", false, UUID::fromString);

    private final Jdbc jdbc;

    public JdbcMembershipRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Membership membership) {
        try {
            jdbc.update("""
                    INSERT INTO memberships (organization_id, user_id, role_key, joined_at)
                    VALUES (?, ?, ?, ?)""",
                    membership.organizationId().value(), membership.userId().value(), membership.role().value(),
                    membership.joinedAt());
        } catch (ConflictException e) {
            throw new ConflictException("The user is already a member.");
        }
    }

    @Override
    public Optional<Membership> find(OrganizationId organizationId, UserId userId) {
        return jdbc.one("""
                SELECT organization_id, user_id, role_key, joined_at
                  FROM memberships
                 WHERE organization_id = ? AND user_id = ?""",
                row -> new Membership(new OrganizationId(Jdbc.uuid(row, "organization_id")),
                        new UserId(Jdbc.uuid(row, "user_id")), new RoleKey(row.getString("role_key")),
                        Jdbc.instant(row, "joined_at")),
                organizationId.value(), userId.value());
    }

    @Override
    public List<UserOrganization> listForUser(UserId userId) {
        // not tenant data of one organization: the user's own list across all of theirs
        return jdbc.list("""
                SELECT o.id, o.name, o.slug, o.created_at, o.two_factor_required, m.role_key
                  FROM memberships m
                  JOIN organizations o ON o.id = m.organization_id
                 WHERE m.user_id = ?
                 ORDER BY o.name COLLATE "C", o.id""",
                row -> new UserOrganization(
                        new Organization(new OrganizationId(Jdbc.uuid(row, "id")), row.getString("name"),
                                new Slug(row.getString("slug")), Jdbc.instant(row, "created_at"),
                                row.getBoolean("two_factor_required")),
                        new RoleKey(row.getString("role_key"))),
                userId.value());
    }

    @Override
    public Page<Member> page(OrganizationId organizationId, Set<RoleKey> roles, PageRequest page) {
        if (roles.isEmpty()) {
            return KEYSET.page(jdbc, MEMBER_COLUMNS, MEMBERS_FROM, "memberships m", "m.organization_id = ?",
                    List.of(organizationId.value()), JdbcMembershipRepository::member, page,
                    Cursor.list("members", organizationId));
        }
        List<String> keys = roles.stream().map(RoleKey::value).sorted().toList();
        return KEYSET.page(jdbc, MEMBER_COLUMNS, MEMBERS_FROM, "memberships m",
                "m.organization_id = ? AND m.role_key = ANY(?::text[])", List.of(organizationId.value(), keys),
                JdbcMembershipRepository::member, page, Cursor.list("members", organizationId, String.join(",", keys)));
    }

    @Override
    public List<Member> findAll(OrganizationId organizationId, Set<UserId> userIds) {
        if (userIds.isEmpty()) return List.of();
        return jdbc.list("""
                SELECT %s
                  FROM %s
                 WHERE m.organization_id = ? AND m.user_id = ANY(?::uuid[])
                 ORDER BY m.joined_at, u.id""".formatted(MEMBER_COLUMNS, MEMBERS_FROM),
                JdbcMembershipRepository::member, organizationId.value(), userIds.stream().map(UserId::value).toList());
    }

    /**
     * A member with their profile and whether they have a second factor: a confirmed authenticator app (at most one
     * TOTP row each) or a passkey. The passkey lookup has a LIMIT so that it stays one index probe per member row
     * (as an EXISTS, PostgreSQL may hash the whole passkeys table instead).
     */
    private static final String MEMBER_COLUMNS = "u.id, u.email, u.name, m.role_key, m.joined_at,"
            + " (t.confirmed_at IS NOT NULL"
            + " OR (SELECT true FROM passkeys p WHERE p.user_id = m.user_id LIMIT 1) IS NOT NULL)"
            + " AS two_factor_enabled";
    private static final String MEMBERS_FROM = "memberships m JOIN users u ON u.id = m.user_id"
            + " LEFT JOIN totp_factors t ON t.user_id = m.user_id";

    private static Member member(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Member(new UserId(Jdbc.uuid(row, "id")), new Email(row.getString("email")),
                row.getString("name"), new RoleKey(row.getString("role_key")), Jdbc.instant(row, "joined_at"),
                row.getBoolean("two_factor_enabled"));
    }

    @Override
    public void updateRole(OrganizationId organizationId, UserId userId, RoleKey role) {
        jdbc.update("UPDATE memberships SET role_key = ? WHERE organization_id = ? AND user_id = ?",
                role.value(), organizationId.value(), userId.value());
    }

    @Override
    public void delete(OrganizationId organizationId, UserId userId) {
        jdbc.update("DELETE FROM memberships WHERE organization_id = ? AND user_id = ?",
                organizationId.value(), userId.value());
    }

    @Override
    public long countWithRole(OrganizationId organizationId, RoleKey role) {
        return jdbc.count("SELECT count(*) FROM memberships WHERE organization_id = ? AND role_key = ?",
                organizationId.value(), role.value());
    }

    /** Each count stops at the cap (a LIMIT under it), as every list's count does: a huge organization costs no more. */
    @Override
    public Map<OrganizationId, Long> countMembers(Collection<OrganizationId> organizationIds) {
        Map<OrganizationId, Long> counts = new HashMap<>();
        if (organizationIds.isEmpty()) return counts;
        jdbc.list("""
                SELECT o.id, (SELECT count(*) FROM (SELECT 1 FROM memberships m WHERE m.organization_id = o.id
                                                     LIMIT %d) capped) AS members
                  FROM unnest(?::uuid[]) AS o(id)""".formatted(Page.COUNT_CAP),
                row -> counts.put(new OrganizationId(Jdbc.uuid(row, "id")), row.getLong("members")),
                organizationIds.stream().map(OrganizationId::value).toList());
        return counts;
    }

    @Override
    public long countWithoutSecondFactor(OrganizationId organizationId) {
        return jdbc.count("""
                SELECT count(*) FROM memberships m LEFT JOIN totp_factors t ON t.user_id = m.user_id
                 WHERE m.organization_id = ? AND t.confirmed_at IS NULL""", organizationId.value());
    }
}
