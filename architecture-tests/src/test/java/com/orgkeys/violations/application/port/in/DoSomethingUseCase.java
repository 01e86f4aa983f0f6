package com.orgkeys.violations.application.port.in;

/** A well-named use case port, for the violations below to call and implement. */
public interface DoSomethingUseCase {
    void doSomething();
}
