package com.orgkeys.application.contract;

class InMemoryApiKeyUsageRepositoryContractTest extends ApiKeyUsageRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
