package com.orgkeys.persistence.database;

import com.orgkeys.application.health.port.out.DatabaseProbe;

public final class JdbcDatabaseProbe implements DatabaseProbe {
    private final Jdbc jdbc;

    public JdbcDatabaseProbe(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void ping() {
        jdbc.count("SELECT 1");
    }
}
