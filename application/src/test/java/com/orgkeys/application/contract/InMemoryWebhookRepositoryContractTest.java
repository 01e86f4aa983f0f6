package com.orgkeys.application.contract;

class InMemoryWebhookRepositoryContractTest extends WebhookRepositoryContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
