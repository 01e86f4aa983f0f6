package com.orgkeys.application.health.port.out;

/** Asks the database for a trivial answer; throws {@code UnavailableException} when it cannot. */
public interface DatabaseProbe {
    void ping();
}
