package com.orgkeys.persistence.contract;

import com.orgkeys.application.account.port.out.AccountThrottleStore;
import com.orgkeys.application.contract.AccountThrottleContract;
import com.orgkeys.persistence.account.JdbcAccountThrottleStore;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;

class JdbcAccountThrottleContractTest extends AccountThrottleContract {
    private Database database;
    private Jdbc jdbc;

    @Override
    protected AccountThrottleStore newStore() {
        database = Database.connect(TestPostgres.newDatabase(), 4);
        jdbc = new Jdbc(database.dataSource());
        return new JdbcAccountThrottleStore(jdbc);
    }

    @Override
    protected int storedEntries() {
        return (int) jdbc.count("SELECT count(*) FROM account_throttle");
    }

    @AfterEach
    void closePool() {
        if (database != null) database.close();
    }
}
