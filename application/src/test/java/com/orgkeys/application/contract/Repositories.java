package com.orgkeys.application.contract;

import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.accounttoken.port.out.AccountTokenRepository;
import com.orgkeys.application.agent.port.out.AgentRepository;
import com.orgkeys.application.apikey.port.out.ApiKeyRepository;
import com.orgkeys.application.apikey.port.out.ApiKeyUsageRepository;
import com.orgkeys.application.apikeyexpiry.port.out.ExpiryNoticeRepository;
import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.application.invitation.port.out.InvitationRepository;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.membership.port.out.RoleRepository;
import com.orgkeys.application.organization.port.out.OrganizationRepository;
import com.orgkeys.application.outbox.port.out.OutboxRepository;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.application.testing.InMemoryAccountTokenRepository;
import com.orgkeys.application.testing.InMemoryAgentRepository;
import com.orgkeys.application.testing.InMemoryApiKeyRepository;
import com.orgkeys.application.testing.InMemoryApiKeyUsageRepository;
import com.orgkeys.application.testing.InMemoryExpiryNoticeRepository;
import com.orgkeys.application.testing.InMemoryAuditLog;
import com.orgkeys.application.testing.InMemoryInvitationRepository;
import com.orgkeys.application.testing.InMemoryMembershipRepository;
import com.orgkeys.application.testing.InMemoryOrganizationRepository;
import com.orgkeys.application.testing.InMemoryOutboxRepository;
import com.orgkeys.application.testing.InMemoryRoleRepository;
import com.orgkeys.application.testing.InMemorySessionRepository;
import com.orgkeys.application.passkey.port.out.PasskeyRepository;
import com.orgkeys.application.testing.InMemoryPasskeyRepository;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import com.orgkeys.application.testing.InMemoryTwoFactorRepository;
import com.orgkeys.application.testing.InMemoryUserRepository;
import com.orgkeys.application.twofactor.port.out.TwoFactorRepository;
import com.orgkeys.application.testing.InMemoryWebhookDeliveryRepository;
import com.orgkeys.application.testing.InMemoryWebhookEndpointRepository;
import com.orgkeys.application.webhook.port.out.WebhookDeliveryRepository;
import com.orgkeys.application.webhook.port.out.WebhookEndpointRepository;

/** A complete, empty set of repositories over one store: what every contract test starts from. */
public record Repositories(UserRepository users, SessionRepository sessions, OrganizationRepository organizations,
                           MembershipRepository memberships, RoleRepository roles, InvitationRepository invitations,
                           AuditLog auditLog, ApiKeyRepository apiKeys, AgentRepository agents,
                           OutboxRepository outbox, AccountTokenRepository accountTokens,
                           TwoFactorRepository twoFactors, PasskeyRepository passkeys,
                           WebhookEndpointRepository webhookEndpoints, WebhookDeliveryRepository webhookDeliveries,
                           TransactionRunner transactions, ApiKeyUsageRepository apiKeyUsage,
                           ExpiryNoticeRepository expiryNotices) {

    public static Repositories inMemory() {
        InMemoryStore store = new InMemoryStore();
        return new Repositories(new InMemoryUserRepository(store), new InMemorySessionRepository(store),
                new InMemoryOrganizationRepository(store), new InMemoryMembershipRepository(store),
                new InMemoryRoleRepository(store), new InMemoryInvitationRepository(store),
                new InMemoryAuditLog(store), new InMemoryApiKeyRepository(store), new InMemoryAgentRepository(store),
                new InMemoryOutboxRepository(store), new InMemoryAccountTokenRepository(store),
                new InMemoryTwoFactorRepository(store), new InMemoryPasskeyRepository(store),
                new InMemoryWebhookEndpointRepository(store), new InMemoryWebhookDeliveryRepository(store),
                new InMemoryTransactionRunner(store), new InMemoryApiKeyUsageRepository(store),
                new InMemoryExpiryNoticeRepository(store));
    }
}
