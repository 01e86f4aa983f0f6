package com.orgkeys.violations.http;

import com.orgkeys.violations.bootstrap.SomeWiring;

/** Breaks "only bootstrap wires": an adapter that fetches things from the composition root. */
public class SomeRoutes {
    public Object wiring() {
        return SomeWiring.INSTANCE;
    }
}
