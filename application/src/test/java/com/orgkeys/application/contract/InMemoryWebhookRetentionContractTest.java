package com.orgkeys.application.contract;

class InMemoryWebhookRetentionContractTest extends WebhookRetentionContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
