package com.orgkeys.application.health.service;

import com.orgkeys.application.health.port.in.CheckReadinessUseCase;
import com.orgkeys.application.health.port.out.DatabaseProbe;

import java.util.Objects;

public final class CheckReadinessService implements CheckReadinessUseCase {
    private final DatabaseProbe database;

    public CheckReadinessService(DatabaseProbe database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void checkReady() {
        database.ping();
    }
}
