package com.orgkeys.http.health;

import com.orgkeys.application.health.port.in.CheckReadinessUseCase;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.Router;

import java.util.Map;

/** {@code /healthz}: the process is up. {@code /readyz}: it can reach the database (503 problem otherwise). */
public final class HealthRoutes {
    private final CheckReadinessUseCase readiness;

    public HealthRoutes(CheckReadinessUseCase readiness) {
        this.readiness = readiness;
    }

    public void register(Router router) {
        router.get("/healthz", Access.PUBLIC, call -> call.json(200, Map.of("status", "ok")));
        router.get("/readyz", Access.PUBLIC, call -> {
            readiness.checkReady();
            call.json(200, Map.of("status", "ready"));
        });
    }
}
