package com.orgkeys.violations.http;

import com.orgkeys.violations.persistence.SomeRepository;

/** Breaks "adapters do not depend on each other": http calling persistence directly. */
public class RoutesUsingPersistence {
    public Object load() {
        return new SomeRepository().load();
    }
}
