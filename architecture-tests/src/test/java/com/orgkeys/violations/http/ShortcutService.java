package com.orgkeys.violations.http;

import com.orgkeys.violations.application.port.in.DoSomethingUseCase;

/** Breaks "use cases are implemented by services": named like one, but a use case implemented inside an adapter. */
public class ShortcutService implements DoSomethingUseCase {
    @Override
    public void doSomething() {
    }
}
