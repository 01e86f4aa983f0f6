package com.orgkeys.application.contract;

class InMemoryInvitationRepositoryContractTest extends InvitationRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
