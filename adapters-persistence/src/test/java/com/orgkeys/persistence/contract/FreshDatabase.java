package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.Repositories;
import com.orgkeys.persistence.account.JdbcSessionRepository;
import com.orgkeys.persistence.account.JdbcUserRepository;
import com.orgkeys.persistence.accounttoken.JdbcAccountTokenRepository;
import com.orgkeys.persistence.agent.JdbcAgentRepository;
import com.orgkeys.persistence.apikey.JdbcApiKeyRepository;
import com.orgkeys.persistence.apikey.JdbcApiKeyUsageRepository;
import com.orgkeys.persistence.audit.JdbcAuditLog;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.passkey.JdbcPasskeyRepository;
import com.orgkeys.persistence.twofactor.JdbcTwoFactorRepository;
import com.orgkeys.persistence.invitation.JdbcInvitationRepository;
import com.orgkeys.persistence.membership.JdbcMembershipRepository;
import com.orgkeys.persistence.membership.JdbcRoleRepository;
import com.orgkeys.persistence.organization.JdbcOrganizationRepository;
import com.orgkeys.persistence.outbox.JdbcOutboxRepository;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JDBC repositories over a new, migrated database per test; the pool is closed after the test so that
 * a long run does not exhaust the server's connections.
 */
final class FreshDatabase implements AfterEachCallback {
    private Database database;

    Repositories repositories() {
        database = Database.connect(TestPostgres.newDatabase(), 4);
        Jdbc jdbc = new Jdbc(database.dataSource());
        return new Repositories(new JdbcUserRepository(jdbc), new JdbcSessionRepository(jdbc),
                new JdbcOrganizationRepository(jdbc), new JdbcMembershipRepository(jdbc), new JdbcRoleRepository(jdbc),
                new JdbcInvitationRepository(jdbc), new JdbcAuditLog(jdbc), new JdbcApiKeyRepository(jdbc),
                new JdbcAgentRepository(jdbc), new JdbcOutboxRepository(jdbc), new JdbcAccountTokenRepository(jdbc),
                new JdbcTwoFactorRepository(jdbc), new JdbcPasskeyRepository(jdbc),
                com.orgkeys.persistence.webhook.WebhookSecretsOnPostgres.endpoints(jdbc),
                new com.orgkeys.persistence.webhook.JdbcWebhookDeliveryRepository(jdbc), jdbc,
                new JdbcApiKeyUsageRepository(jdbc),
                new com.orgkeys.persistence.apikeyexpiry.JdbcExpiryNoticeRepository(jdbc));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (database != null) database.close();
    }
}
