package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.InvitationRepositoryContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcInvitationRepositoryContractTest extends InvitationRepositoryContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
