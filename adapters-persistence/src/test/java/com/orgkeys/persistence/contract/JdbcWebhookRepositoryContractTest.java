package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.Repositories;
import com.orgkeys.application.contract.WebhookRepositoryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcWebhookRepositoryContractTest extends WebhookRepositoryContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
