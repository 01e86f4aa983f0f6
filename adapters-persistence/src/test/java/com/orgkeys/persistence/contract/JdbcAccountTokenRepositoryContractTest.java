package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.AccountTokenRepositoryContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcAccountTokenRepositoryContractTest extends AccountTokenRepositoryContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
