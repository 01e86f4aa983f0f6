package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.SessionRepositoryContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcSessionRepositoryContractTest extends SessionRepositoryContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
