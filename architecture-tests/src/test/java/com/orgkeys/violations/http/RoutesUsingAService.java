package com.orgkeys.violations.http;

import com.orgkeys.violations.application.service.SomeService;

/** Breaks "adapters use the application only through its ports": a route that holds a service, not a use case. */
public class RoutesUsingAService {
    private final SomeService service = new SomeService();

    public void handle() {
        service.doSomething();
    }
}
