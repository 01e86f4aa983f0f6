package com.orgkeys.application.contract;

class InMemoryPasskeyRepositoryContractTest extends PasskeyRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
