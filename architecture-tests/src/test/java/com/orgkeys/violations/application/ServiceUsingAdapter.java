package com.orgkeys.violations.application;

import com.orgkeys.violations.persistence.SomeRepository;

/** Breaks the onion layers: a use case that calls an adapter directly instead of a port. */
public class ServiceUsingAdapter {
    public Object load() {
        return new SomeRepository().load();
    }
}
