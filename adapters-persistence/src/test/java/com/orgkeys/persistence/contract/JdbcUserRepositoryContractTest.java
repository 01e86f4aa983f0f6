package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.UserRepositoryContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcUserRepositoryContractTest extends UserRepositoryContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
