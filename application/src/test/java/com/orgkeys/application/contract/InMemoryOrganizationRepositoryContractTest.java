package com.orgkeys.application.contract;

class InMemoryOrganizationRepositoryContractTest extends OrganizationRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
