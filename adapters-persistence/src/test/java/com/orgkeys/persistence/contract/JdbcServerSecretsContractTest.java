package com.orgkeys.persistence.contract;

import com.orgkeys.application.contract.ServerSecretsContract;
import com.orgkeys.application.secret.port.out.ServerSecrets;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.secret.JdbcServerSecrets;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;

class JdbcServerSecretsContractTest extends ServerSecretsContract {
    private Database database;

    @Override
    protected ServerSecrets newSecrets() {
        database = Database.connect(TestPostgres.newDatabase(), 8);
        return new JdbcServerSecrets(new Jdbc(database.dataSource()));
    }

    @AfterEach
    void closePool() {
        if (database != null) database.close();
    }
}
