package com.orgkeys.application.retention.port.out;

import java.util.Optional;
import java.util.function.Supplier;

/** Runs background work on one node at a time: on another node holding the lock, the work is skipped. */
public interface JobLock {
    /** {@code work}'s result, in one transaction holding the lock; empty (work not run) when another node holds it. */
    <T> Optional<T> tryExclusively(Supplier<T> work);
}
