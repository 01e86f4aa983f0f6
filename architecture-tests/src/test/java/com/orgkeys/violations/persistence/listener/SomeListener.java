package com.orgkeys.violations.persistence.listener;

import com.orgkeys.violations.application.port.in.DoSomethingUseCase;

/** Allowed: a listener is the persistence adapter's one way to drive the application. */
public class SomeListener {
    public void notified(DoSomethingUseCase useCase) {
        useCase.doSomething();
    }
}
