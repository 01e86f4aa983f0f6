package com.orgkeys.violations.application.service;

import com.orgkeys.violations.application.port.in.DoSomethingUseCase;

/** Breaks "use cases are implemented by services": a use case implementation not named …Service. */
public class DoSomethingHandler implements DoSomethingUseCase {
    @Override
    public void doSomething() {
    }
}
