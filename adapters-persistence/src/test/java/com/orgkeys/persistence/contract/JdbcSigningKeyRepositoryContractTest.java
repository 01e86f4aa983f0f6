package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.SigningKeyRepositoryContract;
import com.orgkeys.application.sessiontoken.port.out.SigningKeyRepository;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.sessiontoken.JdbcSigningKeyRepository;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;

class JdbcSigningKeyRepositoryContractTest extends SigningKeyRepositoryContract {
    private Database database;

    @Override
    protected SigningKeyRepository newRepository() {
        database = Database.connect(TestPostgres.newDatabase(), 8);
        return new JdbcSigningKeyRepository(new Jdbc(database.dataSource()));
    }

    @AfterEach
    void closePool() {
        if (database != null) database.close();
    }
}
