package com.orgkeys.violations.application.port.in;

/** Breaks "use case ports are named …UseCase": an incoming port whose name hides that it is one. */
public interface CreateThing {
    void create();
}
