package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.OrganizationRepositoryContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcOrganizationRepositoryContractTest extends OrganizationRepositoryContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
