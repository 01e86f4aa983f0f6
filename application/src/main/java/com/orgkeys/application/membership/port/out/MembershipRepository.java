package com.orgkeys.application.membership.port.out;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.membership.UserOrganization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

public interface MembershipRepository {
    /** @throws com.orgkeys.domain.shared.ConflictException when the user is already a member */
    void insert(Membership membership);

    Optional<Membership> find(OrganizationId organizationId, UserId userId);

    /** The user's organizations with their role, by organization name. */
    List<UserOrganization> listForUser(UserId userId);

    /** The organization's members, oldest membership first. */
    default Page<Member> page(OrganizationId organizationId, PageRequest page) {
        return page(organizationId, Set.of(), page);
    }

    /** The organization's members with one of {@code roles} (all of them when empty), oldest membership first. */
    Page<Member> page(OrganizationId organizationId, Set<RoleKey> roles, PageRequest page);

    /** The members among {@code userIds}, oldest membership first; ids of non-members are left out. */
    List<Member> findAll(OrganizationId organizationId, Set<UserId> userIds);

    void updateRole(OrganizationId organizationId, UserId userId, RoleKey role);

    void delete(OrganizationId organizationId, UserId userId);

    long countWithRole(OrganizationId organizationId, RoleKey role);

    /**
     * How many members each of {@code organizationIds} has, exact up to {@link Page#COUNT_CAP} (then the cap), in one
     * read; organizations without members (or that do not exist) count 0.
     */
    Map<OrganizationId, Long> countMembers(Collection<OrganizationId> organizationIds);

    /** How many members have no confirmed second factor (a pending enrollment is none). */
    long countWithoutSecondFactor(OrganizationId organizationId);
}
