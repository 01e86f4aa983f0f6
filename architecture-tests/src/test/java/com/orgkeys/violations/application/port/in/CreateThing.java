package com.orgkeys.violations.application.port.in;

/** Breaks "incoming ports are named …UseCase or …Listener": an incoming port whose name hides what it is. */
public interface CreateThing {
    void create();
}
