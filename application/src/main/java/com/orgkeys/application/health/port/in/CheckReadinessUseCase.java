package com.orgkeys.application.health.port.in;

/** Whether this process can serve requests that need the database. */
public interface CheckReadinessUseCase {
    /** Returns normally when ready; throws {@code UnavailableException} naming what is missing. */
    void checkReady();
}
