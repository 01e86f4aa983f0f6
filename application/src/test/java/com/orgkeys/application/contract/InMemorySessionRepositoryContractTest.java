package com.orgkeys.application.contract;

class InMemorySessionRepositoryContractTest extends SessionRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
