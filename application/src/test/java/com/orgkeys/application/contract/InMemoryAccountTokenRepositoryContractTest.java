package com.orgkeys.application.contract;

class InMemoryAccountTokenRepositoryContractTest extends AccountTokenRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
