package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.AuditLogContract;
import com.orgkeys.application.contract.Repositories;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcAuditLogContractTest extends AuditLogContract {
    @RegisterExtension
    final FreshDatabase database = new FreshDatabase();

    @Override
    protected Repositories newRepositories() {
        return database.repositories();
    }
}
