package com.orgkeys.application.contract;

class InMemoryOutboxRepositoryContractTest extends OutboxRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
