package com.orgkeys.application.contract;

class InMemoryExpiryNoticesContractTest extends ExpiryNoticesContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
