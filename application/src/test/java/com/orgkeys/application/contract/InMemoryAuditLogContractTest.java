package com.orgkeys.application.contract;

class InMemoryAuditLogContractTest extends AuditLogContract {
    @Override
    protected Repositories newRepositories() {
        return Repositories.inMemory();
    }
}
