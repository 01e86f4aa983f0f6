package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.Repositories;
import com.orgkeys.application.contract.TransactionRunnerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcTransactionRunnerContractTest extends TransactionRunnerContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
