package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.Repositories;
import com.orgkeys.application.contract.TwoFactorRepositoryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcTwoFactorRepositoryContractTest extends TwoFactorRepositoryContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
