package com.orgkeys.application.contract;

class InMemoryAuditLogRetentionContractTest extends AuditLogRetentionContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
