package com.orgkeys.violations.application.port.out;

/** A well-named repository port, for the violations below to use and implement. */
public interface ThingRepository {
    Object load();
}
