package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.ExpiryNoticesContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcExpiryNoticesContractTest extends ExpiryNoticesContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
