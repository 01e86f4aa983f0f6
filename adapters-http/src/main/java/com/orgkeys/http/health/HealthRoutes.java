package com.orgkeys.http.health;

import com.orgkeys.application.health.port.in.CheckReadinessUseCase;
import com.orgkeys.domain.shared.UnavailableException;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.Draining;
import com.orgkeys.http.server.Problems;
import com.orgkeys.http.server.Router;

import java.util.Map;

/**
 * {@code /healthz}: the process is up. {@code /readyz}: it can reach the database and is not stopping (503
 * problem otherwise: a load balancer then sends its work to other nodes).
 */
public final class HealthRoutes {
    private final CheckReadinessUseCase readiness;
    private final Draining draining;

    public HealthRoutes(CheckReadinessUseCase readiness, Draining draining) {
        this.readiness = readiness;
        this.draining = draining;
    }

    public void register(Router router) {
        router.get("/healthz", Access.PUBLIC, call -> call.json(200, Map.of("status", "ok")));
        router.get("/readyz", Access.PUBLIC, call -> {
            if (draining.started()) {
                // answered, not thrown: while draining this 503 is expected, not a warning for the log
                Problems.Answer stopping = Problems.answerFor(
                        new UnavailableException("this node is stopping", null), call.path(), call.requestId());
                stopping.headers().forEach(call::setHeader);
                call.problem(stopping.problem());
                return;
            }
            readiness.checkReady();
            call.json(200, Map.of("status", "ready"));
        });
    }
}
