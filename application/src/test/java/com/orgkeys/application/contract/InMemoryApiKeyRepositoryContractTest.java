package com.orgkeys.application.contract;

class InMemoryApiKeyRepositoryContractTest extends ApiKeyRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
