package com.orgkeys.application.testing;

import com.orgkeys.application.outbox.port.out.OutboxMessage;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.application.webhook.port.out.WebhookDelivery;
import com.orgkeys.application.webhook.port.out.WebhookMessage;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.accounttoken.AccountToken;
import com.orgkeys.domain.accounttoken.AccountTokenId;
import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.agent.AgentId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.passkey.Passkey;
import com.orgkeys.domain.passkey.PasskeyCeremony;
import com.orgkeys.domain.passkey.PasskeyId;
import com.orgkeys.domain.twofactor.TotpFactor;

import java.time.Instant;
import com.orgkeys.domain.account.UserMetadata;
import com.orgkeys.domain.organization.OrganizationMetadata;
import java.util.Optional;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The tables of the in-memory fakes, shared by all of them so that they can join and cascade like the
 * database does (deleting an organization takes its memberships, roles, invitations, audit events, API keys
 * and agents).
 * Every access goes through {@link #read}/{@link #write}/{@link #writeAndAnswer}, under one monitor: simple and thread-safe.
 */
public final class InMemoryStore {
    record MembershipKey(OrganizationId organizationId, UserId userId) {
    }

    record RoleId(OrganizationId organizationId, RoleKey key) {
    }

    record AgentKey(OrganizationId organizationId, AgentId id) {
    }

    record RecoveryCodeKey(UserId userId, String codeHash) {
    }

    /** When a key's expiry notices were settled (api_keys.expiring_notice_settled_at, expired_notice_settled_at). */
    record SettledExpiryNotices(Optional<Instant> expiring, Optional<Instant> expired) {
        static final SettledExpiryNotices NONE = new SettledExpiryNotices(Optional.empty(), Optional.empty());
    }

    /** An agent with its insertion number, like the {@code seq} identity column that breaks created_at ties. */
    record AgentRow(Agent agent, long seq) {
    }

    /** One copy of every table; records are immutable, so copying the maps copies the data. */
    private record Tables(Map<UserId, User> users, Map<SessionId, Session> sessions,
                          Map<OrganizationId, Organization> organizations,
                          Map<MembershipKey, Membership> memberships, Map<RoleId, Role> roles,
                          Map<InvitationId, Invitation> invitations, List<AuditEvent> auditEvents,
                          Map<ApiKeyId, ApiKey> apiKeys, Map<ApiKeyId, String> apiKeyRequests,
                          Map<AgentKey, AgentRow> agents, Map<OutboxMessage.Id, OutboxMessage> outbox,
                          Map<AccountTokenId, AccountToken> accountTokens, Map<UserId, TotpFactor> totpFactors,
                          Map<RecoveryCodeKey, Optional<Instant>> recoveryCodes, Map<PasskeyId, Passkey> passkeys,
                          Map<UUID, PasskeyCeremony> passkeyCeremonies, Map<UserId, UserMetadata> userMetadata,
                          Map<OrganizationId, OrganizationMetadata> organizationMetadata,
                          Map<WebhookEndpointId, WebhookEndpoint> webhookEndpoints,
                          Map<String, WebhookMessage> webhookMessages, Map<UUID, WebhookDelivery> webhookDeliveries,
                          List<WebhookAttempt> webhookAttempts,
                          Map<ApiKeyId, SettledExpiryNotices> apiKeyExpiryNotices) {
        static Tables empty() {
            return new Tables(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(),
                    new HashMap<>(), new ArrayList<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(),
                    new LinkedHashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new LinkedHashMap<>(),
                    new HashMap<>(), new HashMap<>(), new HashMap<>(), new LinkedHashMap<>(), new HashMap<>(),
                    new LinkedHashMap<>(), new ArrayList<>(), new HashMap<>());
        }

        Tables copy() {
            return new Tables(new HashMap<>(users), new HashMap<>(sessions), new HashMap<>(organizations),
                    new HashMap<>(memberships), new HashMap<>(roles), new HashMap<>(invitations),
                    new ArrayList<>(auditEvents), new HashMap<>(apiKeys), new HashMap<>(apiKeyRequests),
                    new HashMap<>(agents), new LinkedHashMap<>(outbox), new HashMap<>(accountTokens),
                    new HashMap<>(totpFactors), new HashMap<>(recoveryCodes), new LinkedHashMap<>(passkeys),
                    new HashMap<>(passkeyCeremonies), new HashMap<>(userMetadata),
                    new HashMap<>(organizationMetadata), new LinkedHashMap<>(webhookEndpoints),
                    new HashMap<>(webhookMessages), new LinkedHashMap<>(webhookDeliveries),
                    new ArrayList<>(webhookAttempts), new HashMap<>(apiKeyExpiryNotices));
        }
    }

    private Tables tables = Tables.empty();
    /** Like a PostgreSQL sequence: not rolled back with the tables. */
    private long nextAgentSeq = 1;

    synchronized <T> T read(Supplier<T> query) {
        return query.get();
    }

    synchronized void write(Runnable change) {
        change.run();
    }

    /** A change that answers something, like an UPDATE's row count. */
    synchronized <T> T writeAndAnswer(Supplier<T> change) {
        return change.get();
    }

    /** For {@link InMemoryTransactionRunner}: what to go back to when a transaction fails. */
    synchronized Object snapshot() {
        return tables.copy();
    }

    synchronized void restore(Object snapshot) {
        tables = ((Tables) snapshot).copy();
    }

    Map<WebhookEndpointId, WebhookEndpoint> webhookEndpoints() {
        return tables.webhookEndpoints();
    }

    Map<String, WebhookMessage> webhookMessages() {
        return tables.webhookMessages();
    }

    /** In insertion order. */
    Map<UUID, WebhookDelivery> webhookDeliveries() {
        return tables.webhookDeliveries();
    }

    List<WebhookAttempt> webhookAttempts() {
        return tables.webhookAttempts();
    }

    Map<UserId, User> users() {
        return tables.users();
    }

    /** The users' metadata; a user without an entry has the empty objects (the columns' default). */
    Map<UserId, UserMetadata> userMetadata() {
        return tables.userMetadata();
    }

    /** The organizations' metadata; one without an entry has the empty objects (the columns' default). */
    Map<OrganizationId, OrganizationMetadata> organizationMetadata() {
        return tables.organizationMetadata();
    }

    /** Deletes a user and what references them, as the foreign keys' ON DELETE CASCADE does. */
    boolean deleteUser(UserId id) {
        if (tables.users().remove(id) == null) return false;
        tables.userMetadata().remove(id);
        tables.sessions().values().removeIf(s -> s.userId().equals(id));
        tables.memberships().keySet().removeIf(k -> k.userId().equals(id));
        tables.invitations().values().removeIf(i -> i.invitedBy().equals(id));
        tables.accountTokens().values().removeIf(t -> t.userId().equals(id));
        tables.totpFactors().remove(id);
        tables.recoveryCodes().keySet().removeIf(k -> k.userId().equals(id));
        tables.passkeys().values().removeIf(p -> p.userId().equals(id));
        return true;
    }

    Map<SessionId, Session> sessions() {
        return tables.sessions();
    }

    Map<OrganizationId, Organization> organizations() {
        return tables.organizations();
    }

    Map<MembershipKey, Membership> memberships() {
        return tables.memberships();
    }

    Map<RoleId, Role> roles() {
        return tables.roles();
    }

    Map<InvitationId, Invitation> invitations() {
        return tables.invitations();
    }

    List<AuditEvent> auditEvents() {
        return tables.auditEvents();
    }

    Map<ApiKeyId, ApiKey> apiKeys() {
        return tables.apiKeys();
    }

    /** The keys whose expiry notices were settled, either of them; a key not here has neither. */
    Map<ApiKeyId, SettledExpiryNotices> apiKeyExpiryNotices() {
        return tables.apiKeyExpiryNotices();
    }

    /** The request hash each key was made by, when it was made by one (api_keys.request_hash). */
    Map<ApiKeyId, String> apiKeyRequests() {
        return tables.apiKeyRequests();
    }

    Map<AgentKey, AgentRow> agents() {
        return tables.agents();
    }

    /** The outbox, in insertion order. */
    Map<OutboxMessage.Id, OutboxMessage> outbox() {
        return tables.outbox();
    }

    Map<AccountTokenId, AccountToken> accountTokens() {
        return tables.accountTokens();
    }

    Map<UserId, TotpFactor> totpFactors() {
        return tables.totpFactors();
    }

    /** Each recovery code with when it was used (empty: unused). */
    Map<RecoveryCodeKey, Optional<Instant>> recoveryCodes() {
        return tables.recoveryCodes();
    }

    /** In insertion order (created_at order). */
    Map<PasskeyId, Passkey> passkeys() {
        return tables.passkeys();
    }

    Map<UUID, PasskeyCeremony> passkeyCeremonies() {
        return tables.passkeyCeremonies();
    }

    /** Call inside {@link #write}. */
    long nextAgentSeq() {
        return nextAgentSeq++;
    }

    /** Like a foreign key violation in PostgreSQL, which Jdbc reports as IllegalStateException. */
    /** As the JDBC adapters answer PostgreSQL's foreign key violation (23503). */
    static void requireReference(boolean exists, String what) {
        if (!exists) throw new ConflictException("Something this refers to was deleted meanwhile (no such " + what + ").");
    }
}
