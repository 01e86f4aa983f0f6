package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.PasskeyRepositoryContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcPasskeyRepositoryContractTest extends PasskeyRepositoryContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
