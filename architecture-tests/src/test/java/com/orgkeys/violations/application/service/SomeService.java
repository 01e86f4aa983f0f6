package com.orgkeys.violations.application.service;

import com.orgkeys.violations.application.port.in.DoSomethingUseCase;

/** A well-named service, for an adapter to reach into. */
public class SomeService implements DoSomethingUseCase {
    @Override
    public void doSomething() {
    }
}
