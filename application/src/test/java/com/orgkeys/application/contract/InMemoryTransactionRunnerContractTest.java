package com.orgkeys.application.contract;

class InMemoryTransactionRunnerContractTest extends TransactionRunnerContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
