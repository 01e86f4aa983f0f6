package com.orgkeys.violations.bootstrap;

public final class SomeWiring {
    public static final SomeWiring INSTANCE = new SomeWiring();
}
