package com.orgkeys.violations.persistence;

import com.orgkeys.violations.application.port.in.DoSomethingUseCase;

/** Breaks "only listeners in persistence drive the application": a repository that calls a use case. */
public class RepositoryCallingAUseCase {
    public void save(DoSomethingUseCase useCase) {
        useCase.doSomething();
    }
}
