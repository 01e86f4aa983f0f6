package com.orgkeys.violations.application.port.in;

/** Allowed: a callback the persistence adapter's listener feeds, named for what it is. */
public interface ThingChangedListener {
    void thingChanged(String id);
}
