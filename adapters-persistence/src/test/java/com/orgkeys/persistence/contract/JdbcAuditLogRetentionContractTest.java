package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.AuditLogRetentionContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcAuditLogRetentionContractTest extends AuditLogRetentionContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
