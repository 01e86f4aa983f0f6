package com.orgkeys.violations.persistence;

import com.orgkeys.violations.http.SomeRoutes;

/** Breaks "adapters do not depend on each other": persistence calling into http. */
public class SomeRepository {
    public Object load() {
        return new SomeRoutes();
    }
}
