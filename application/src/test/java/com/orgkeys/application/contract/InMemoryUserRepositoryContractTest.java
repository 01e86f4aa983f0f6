package com.orgkeys.application.contract;

class InMemoryUserRepositoryContractTest extends UserRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
