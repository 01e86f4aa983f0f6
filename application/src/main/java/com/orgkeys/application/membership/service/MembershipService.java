package com.orgkeys.application.membership.service;

import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.apikey.service.OwnedApiKeys;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.membership.port.in.ManageMembersUseCase;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.organization.port.out.OrganizationRepository;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.application.webhook.service.WebhookData;
import com.orgkeys.application.webhook.service.WebhookEvents;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationMetadata;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Grantor;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public final class MembershipService implements ManageMembersUseCase {
    private final MembershipRepository memberships;
    private final UserRepository users;
    private final Roles roles;
    private final Grants grants;
    private final Audit audit;
    private final TransactionRunner tx;
    private final Clock clock;
    private final OwnedApiKeys ownedKeys;
    private final OrganizationRepository organizations;
    private final WebhookEvents webhooks;

    /** @param ownedKeys the members' own API keys, which change with their role and stop when they leave */
    public MembershipService(MembershipRepository memberships, UserRepository users, Roles roles, Grants grants,
                             Audit audit, TransactionRunner tx, Clock clock, OwnedApiKeys ownedKeys) {
        this(memberships, users, roles, grants, audit, tx, clock, ownedKeys, null, WebhookEvents.NONE);
    }

    /**
     * @param organizations read for the events' data (null only with {@link WebhookEvents#NONE})
     * @param webhooks      told of every membership added, changed or removed, in the change's transaction
     */
    public MembershipService(MembershipRepository memberships, UserRepository users, Roles roles, Grants grants,
                             Audit audit, TransactionRunner tx, Clock clock, OwnedApiKeys ownedKeys,
                             OrganizationRepository organizations, WebhookEvents webhooks) {
        this.organizations = organizations;
        this.webhooks = java.util.Objects.requireNonNull(webhooks, "webhooks");
        this.clock = clock;
        this.ownedKeys = ownedKeys;
        this.memberships = memberships;
        this.users = users;
        this.roles = roles;
        this.grants = grants;
        this.audit = audit;
        this.tx = tx;
    }

    @Override
    public Page<Member> listMembers(Caller caller, PageRequest page) {
        return memberships.page(caller.require(Permission.MEMBERSHIPS_READ), page);
    }

    @Override
    public Page<Member> listMembers(Caller caller, Set<String> roles, PageRequest page) {
        OrganizationId org = caller.require(Permission.MEMBERSHIPS_READ);
        if (roles.size() > 20) throw new InvalidInputException("role", "at most 20 roles at a time");
        Set<RoleKey> keys = new java.util.HashSet<>();
        for (String role : roles) {
            try {
                keys.add(new RoleKey(role));
            } catch (InvalidInputException e) {
                throw new InvalidInputException("role", e.errors().getFirst().message());
            }
        }
        return memberships.page(org, keys, page);
    }

    @Override
    public Member addMember(Caller caller, UserId userId, String role) {
        OrganizationId org = caller.require(Permission.MEMBERSHIPS_MANAGE);
        return tx.inTransaction(() -> {
            // locks the organization: the grant check holds against concurrent demotions of the caller
            Grantor grantor = grants.lockAndRequire(caller, org, Permission.MEMBERSHIPS_MANAGE);
            Role newRole = roles.require(org, "role", role);
            grantor.requireCanGive(newRole.key(), newRole.permissions());
            if (users.findById(userId).isEmpty()) throw new NotFoundException("No user " + userId + ".");
            // a member already (or a concurrent add that committed first: the lock ordered us after it)
            if (memberships.find(org, userId).isPresent()) throw new ConflictException("The user is already a member.");
            memberships.insert(new Membership(org, userId, newRole.key(), clock.instant()));
            audit.record(caller, org, "member.added", userId.toString(), newRole.key().value());
            Member added = findMember(org, userId);
            event(org, "organizationMembership.created", added);
            return added;
        });
    }

    @Override
    public List<Member> findMembers(Caller caller, Set<UserId> userIds) {
        OrganizationId org = caller.require(Permission.MEMBERSHIPS_READ);
        if (userIds.size() > PageRequest.MAX_PAGE_SIZE) {
            throw new InvalidInputException("userIds", "at most " + PageRequest.MAX_PAGE_SIZE + " at a time");
        }
        return userIds.isEmpty() ? List.of() : memberships.findAll(org, userIds);
    }

    @Override
    public Member changeRole(Caller caller, UserId userId, String role) {
        OrganizationId org = caller.require(Permission.MEMBERSHIPS_MANAGE);
        List<String> forget = new java.util.ArrayList<>();
        Member changed = tx.inTransaction(() -> {
            // locks: serializes concurrent changes, so the last-admin check and the grant check both hold
            Grantor grantor = grants.lockAndRequire(caller, org, Permission.MEMBERSHIPS_MANAGE);
            Role newRole = roles.require(org, "role", role);
            Membership membership = memberships.find(org, userId)
                    .orElseThrow(() -> new NotFoundException("No member " + userId + "."));
            grantor.requireCanTakeAway(membership.role(), roles.permissions(org, membership.role()));
            grantor.requireCanGive(newRole.key(), newRole.permissions());
            if (membership.isAdmin() && !newRole.key().equals(RoleKey.ADMIN)) requireAnotherAdmin(org);
            if (!membership.role().equals(newRole.key())) {
                memberships.updateRole(org, userId, newRole.key());
                audit.record(caller, org, "member.role_changed", userId.toString(),
                        membership.role() + " -> " + newRole.key());
                forget.addAll(ownedKeys.ownerPermissionsChanged(org, userId));
            }
            Member after = findMember(org, userId);
            if (!membership.role().equals(newRole.key())) event(org, "organizationMembership.updated", after);
            return after;
        });
        ownedKeys.forgetHere(forget);
        return changed;
    }

    @Override
    public void removeMember(Caller caller, UserId userId) {
        boolean self = caller instanceof UserCaller user && user.userId().equals(userId);
        // leaving is allowed to a member the organization holds back for a missing second factor
        OrganizationId org = self ? ((UserCaller) caller).requireMembership() : caller.require(Permission.MEMBERSHIPS_MANAGE);
        List<String> forget = tx.inTransaction(() -> {
            Grantor grantor = grants.lockAndRead(caller, org); // locks: the last-admin check holds
            Membership membership = memberships.find(org, userId)
                    .orElseThrow(() -> new NotFoundException("No member " + userId + "."));
            if (!self) {
                // removing takes the member's whole role away: only who could have given it may
                grantor.require(Permission.MEMBERSHIPS_MANAGE);
                grantor.requireCanTakeAway(membership.role(), roles.permissions(org, membership.role()));
            }
            if (membership.isAdmin()) requireAnotherAdmin(org);
            Member removed = findMember(org, userId);
            event(org, "organizationMembership.deleted", removed);
            memberships.delete(org, userId);
            audit.record(caller, org, self ? "member.left" : "member.removed", userId.toString(), "");
            return ownedKeys.ownerLeft(caller, org, userId);
        });
        ownedKeys.forgetHere(forget);
    }

    private void requireAnotherAdmin(OrganizationId org) {
        if (memberships.countWithRole(org, RoleKey.ADMIN) <= 1) {
            throw new ConflictException("An organization needs at least one admin: make someone else admin first.");
        }
    }

    /** A webhook event about {@code member}, in the change's transaction (the organization is locked already). */
    private void event(OrganizationId org, String type, Member member) {
        if (webhooks == WebhookEvents.NONE) return;
        Organization organization = organizations.findById(org)
                .orElseThrow(() -> new NotFoundException("No organization " + org + "."));
        webhooks.record(Optional.of(org), type, WebhookData.membership(member, organization,
                organizations.metadata(org).orElse(OrganizationMetadata.EMPTY), roles.permissions(org, member.role())));
    }

    private Member findMember(OrganizationId org, UserId userId) {
        // as the list shows it (with whether they have a second factor)
        return memberships.findAll(org, Set.of(userId)).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("No member " + userId + "."));
    }
}
