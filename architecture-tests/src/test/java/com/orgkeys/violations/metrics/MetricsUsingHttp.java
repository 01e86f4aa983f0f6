package com.orgkeys.violations.metrics;

import com.orgkeys.violations.application.port.in.DoSomethingUseCase;
import com.orgkeys.violations.http.RoutesUsingPersistence;

/** Breaks "the metrics adapter stands alone": it reaches into another adapter and drives a use case. */
public class MetricsUsingHttp {
    public Object peek(DoSomethingUseCase useCase) {
        return new RoutesUsingPersistence().load() + " " + useCase;
    }
}
