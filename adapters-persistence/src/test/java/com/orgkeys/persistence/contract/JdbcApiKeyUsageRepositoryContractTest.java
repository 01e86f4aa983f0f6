package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.ApiKeyUsageRepositoryContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcApiKeyUsageRepositoryContractTest extends ApiKeyUsageRepositoryContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
