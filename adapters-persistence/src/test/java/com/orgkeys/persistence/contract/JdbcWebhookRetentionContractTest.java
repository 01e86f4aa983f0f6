package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.Repositories;
import com.orgkeys.application.contract.WebhookRetentionContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcWebhookRetentionContractTest extends WebhookRetentionContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
