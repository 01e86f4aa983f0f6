package com.orgkeys.application.contract;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.agent.AgentId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.caller.Actor.ApiKeyActor;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.Slug;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Rows for contract tests. Instants are whole seconds because PostgreSQL keeps microseconds only: a
 * nanosecond instant would not read back equal.
 */
final class Fixtures {
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final Repositories repositories;

    Fixtures(Repositories repositories) {
        this.repositories = repositories;
    }

    static Instant at(Duration afterT0) {
        return T0.plus(afterT0);
    }

    static User newUser(String email, String name) {
        return new User(UserId.random(), new Email(email), name, "hash-of-" + name, T0);
    }

    User user(String email, String name) {
        User user = newUser(email, name);
        repositories.users().insert(user);
        return user;
    }

    User user(String name) {
        return user(name.toLowerCase() + "-" + UUID.randomUUID() + "@example.com", name);
    }

    static Organization newOrganization(String name, String slug) {
        return new Organization(OrganizationId.random(), name, new Slug(slug), T0);
    }

    Organization organization(String name) {
        Organization organization = newOrganization(name, "org-" + UUID.randomUUID());
        repositories.organizations().insert(organization);
        return organization;
    }

    Membership member(Organization organization, User user, RoleKey role, Instant joinedAt) {
        Membership membership = new Membership(organization.id(), user.id(), role, joinedAt);
        repositories.memberships().insert(membership);
        return membership;
    }

    static Session newSession(User user, Instant createdAt, Instant lastActiveAt) {
        return new Session(SessionId.random(), user.id(), "token-" + UUID.randomUUID(), Optional.empty(), createdAt,
                lastActiveAt, "Firefox", "203.0.113.7", Optional.empty());
    }

    Session session(User user, Instant createdAt, Instant lastActiveAt) {
        Session session = newSession(user, createdAt, lastActiveAt);
        repositories.sessions().insert(session);
        return session;
    }

    static Role newRole(String key, String name, Set<Permission> permissions) {
        return Role.custom(new RoleKey(key), name, permissions, T0);
    }

    Role role(Organization organization, String key) {
        Role role = newRole(key, "Role " + key, Set.of(Permission.AGENTS_READ));
        repositories.roles().insert(organization.id(), role);
        return role;
    }

    static Invitation newInvitation(Organization organization, User invitedBy, String email, Instant createdAt) {
        return new Invitation(InvitationId.random(), organization.id(), new Email(email), RoleKey.MEMBER,
                "token-" + UUID.randomUUID(), invitedBy.id(), createdAt, createdAt.plus(Invitation.VALIDITY),
                Optional.empty(), Optional.empty());
    }

    Invitation invitation(Organization organization, User invitedBy, String email, Instant createdAt) {
        Invitation invitation = newInvitation(organization, invitedBy, email, createdAt);
        repositories.invitations().insert(invitation);
        return invitation;
    }

    AuditEvent auditEvent(Organization organization, Actor actor, String action, String target, Instant occurredAt) {
        AuditEvent event = new AuditEvent(UUID.randomUUID(), organization.id(), actor, action, target, "details",
                "203.0.113.7", occurredAt);
        repositories.auditLog().record(event);
        return event;
    }

    AuditEvent auditEvent(Organization organization, String action, Instant occurredAt) {
        AuditEvent event = new AuditEvent(UUID.randomUUID(), organization.id(), new UserActor(UserId.random()), action,
                "target", "details", "203.0.113.7", occurredAt);
        repositories.auditLog().record(event);
        return event;
    }

    static ApiKey newApiKey(Organization organization, String name, String description, Instant createdAt,
                            Optional<Instant> expiresAt) {
        return new ApiKey(ApiKeyId.random(), organization.id(), name, description,
                Set.of(Permission.AGENTS_READ, Permission.AGENTS_MANAGE), "hash-" + UUID.randomUUID(), "ok_…abcd",
                new UserActor(UserId.random()), createdAt, expiresAt, Optional.empty(), Optional.empty(), Optional.empty());
    }

    ApiKey apiKey(Organization organization, String name, String description, Instant createdAt,
                  Optional<Instant> expiresAt) {
        ApiKey key = newApiKey(organization, name, description, createdAt, expiresAt);
        repositories.apiKeys().insert(key);
        return key;
    }

    ApiKey apiKey(Organization organization, String name, Instant createdAt) {
        return apiKey(organization, name, "", createdAt, Optional.empty());
    }

    static Agent newAgent(Organization organization, String id, Instant createdAt) {
        return new Agent(new AgentId(id), organization.id(), "Agent " + id, "does " + id, "gpt-x", createdAt,
                new ApiKeyActor(ApiKeyId.random()));
    }

    Agent agent(Organization organization, String id, Instant createdAt) {
        Agent agent = newAgent(organization, id, createdAt);
        repositories.agents().insert(agent);
        return agent;
    }
}
