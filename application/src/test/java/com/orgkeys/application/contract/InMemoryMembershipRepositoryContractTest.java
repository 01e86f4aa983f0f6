package com.orgkeys.application.contract;

class InMemoryMembershipRepositoryContractTest extends MembershipRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
