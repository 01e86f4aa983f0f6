package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.SecretKeyRepositoryContract;
import com.orgkeys.application.secretkey.port.out.SecretKeyRepository;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.secretkey.JdbcSecretKeyRepository;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;

class JdbcSecretKeyRepositoryContractTest extends SecretKeyRepositoryContract {
    private Database database;

    @Override
    protected SecretKeyRepository newRepository() {
        database = Database.connect(TestPostgres.newDatabase(), 4);
        return new JdbcSecretKeyRepository(new Jdbc(database.dataSource()));
    }

    @AfterEach
    void closePool() {
        if (database != null) database.close();
    }
}
