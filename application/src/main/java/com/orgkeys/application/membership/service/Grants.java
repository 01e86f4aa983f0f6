package com.orgkeys.application.membership.service;

import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.organization.port.out.OrganizationRepository;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.ApiKeyCaller;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Grantor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;

import java.util.Optional;

/**
 * What someone may give in an organization right now, for every use case that grants (roles to members,
 * roles at invitation, permissions to roles, scopes to keys). A caller's permissions were read when the
 * request was authenticated; a grant is checked against those read here instead, inside the use case's
 * transaction and after locking the organization, which serializes every change of memberships and roles:
 * a demotion that commits first is seen, one that comes later waits.
 */
public final class Grants {
    private final MembershipRepository memberships;
    private final Roles roles;
    private final OrganizationRepository organizations;

    public Grants(MembershipRepository memberships, Roles roles, OrganizationRepository organizations) {
        this.memberships = memberships;
        this.roles = roles;
        this.organizations = organizations;
    }

    /** Call inside a transaction: locks {@code organization} until it ends. */
    public Grantor lockAndRead(Caller caller, OrganizationId organization) {
        organizations.lock(organization);
        return read(caller, organization);
    }

    /**
     * Every write that needs a permission checks it here, not only against what the caller held at authentication:
     * inside the write's transaction, after locking {@code organization} (until it ends), against their role now.
     * A caller demoted or removed meanwhile is refused (403) and nothing is written.
     */
    public Grantor lockAndRequire(Caller caller, OrganizationId organization, Permission permission) {
        Grantor grantor = lockAndRead(caller, organization);
        grantor.require(permission);
        return grantor;
    }

    /**
     * As {@link #lockAndRequire}, without the lock, for writes that no change of memberships or roles depends on
     * (agents): such a write is ordered before any demotion it overlaps, so reading the role once just before it
     * suffices, and frequent writes of one organization do not queue on its row. An API key costs no read.
     */
    public void requireNow(Caller caller, OrganizationId organization, Permission permission) {
        read(caller, organization).require(permission);
    }

    private Grantor read(Caller caller, OrganizationId organization) {
        return switch (caller) {
            case UserCaller user -> read(organization, user.userId());
            // a key's scopes, as read when the request was authenticated: feature permissions, which grant nothing
            case ApiKeyCaller key -> new Grantor(Optional.empty(), key.permissions());
            // the instance's operator: every permission, in any organization, with no role to hold
            // (it gives and takes away org:admin as an admin does, e.g. when the backend API adds an organization's
            // second admin or demotes one)
            case SecretKeyCaller backend -> new Grantor(Optional.of(RoleKey.ADMIN), backend.permissions());
        };
    }

    /** What {@code user} holds in {@code organization} now; call with the organization already locked. */
    public Grantor read(OrganizationId organization, UserId user) {
        return memberships.find(organization, user)
                .map(m -> new Grantor(Optional.of(m.role()), roles.permissions(organization, m.role())))
                .orElse(Grantor.NOBODY);
    }
}
