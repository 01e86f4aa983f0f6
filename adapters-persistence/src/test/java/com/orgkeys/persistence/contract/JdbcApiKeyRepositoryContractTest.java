package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.ApiKeyRepositoryContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcApiKeyRepositoryContractTest extends ApiKeyRepositoryContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
