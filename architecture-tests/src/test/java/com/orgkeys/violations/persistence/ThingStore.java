package com.orgkeys.violations.persistence;

import com.orgkeys.violations.application.port.out.ThingRepository;

/** Breaks "repositories are implemented as Jdbc…Repository": the adapter's name does not say what it is. */
public class ThingStore implements ThingRepository {
    @Override
    public Object load() {
        return null;
    }
}
