package com.orgkeys.violations.http;

import com.orgkeys.violations.application.port.out.ThingRepository;

/** Breaks "http reaches the application only through use cases": it reads a repository port, skipping the use case. */
public class RoutesUsingARepositoryPort {
    public Object handle(ThingRepository things) {
        return things.load();
    }
}
