package com.orgkeys.application.contract;

class InMemoryRoleRepositoryContractTest extends RoleRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
