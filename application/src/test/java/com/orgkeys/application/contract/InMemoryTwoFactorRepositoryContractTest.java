package com.orgkeys.application.contract;

class InMemoryTwoFactorRepositoryContractTest extends TwoFactorRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
