package com.orgkeys.application.contract;

class InMemoryAgentRepositoryContractTest extends AgentRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
