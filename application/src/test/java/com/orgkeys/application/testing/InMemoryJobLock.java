package com.orgkeys.application.testing;

import com.orgkeys.application.retention.port.out.JobLock;

import java.util.Optional;
import java.util.function.Supplier;

/** A job lock that a test can hand to "another node" ({@link #holdElsewhere}). */
public final class InMemoryJobLock implements JobLock {
    private volatile boolean heldElsewhere;

    public void holdElsewhere(boolean held) {
        heldElsewhere = held;
    }

    @Override
    public synchronized <T> Optional<T> tryExclusively(Supplier<T> work) {
        return heldElsewhere ? Optional.empty() : Optional.of(work.get());
    }
}
