package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.MembershipRepositoryContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcMembershipRepositoryContractTest extends MembershipRepositoryContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
