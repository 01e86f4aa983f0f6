package com.orgkeys.application.retention.port.out;

import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Runs background work on one node at a time: on another node holding the lock, the work is skipped. */
public interface JobLock {
    /** {@code work}'s result, in one transaction holding the lock; empty (work not run) when another node holds it. */
    <T> Optional<T> tryExclusively(Supplier<T> work);

    /**
     * Runs {@code batch} (each run one transaction holding the lock, returning how many rows it handled) until one
     * handles fewer than {@code batchSize} or {@code maxBatches} have run: the rows handled in all; empty when another
     * node held the lock at the first batch (one taking it later ends the run with what was done).
     */
    default Optional<Integer> drain(IntSupplier batch, int batchSize, int maxBatches) {
        int total = 0;
        for (int n = 0; n < maxBatches; n++) {
            Optional<Integer> handled = tryExclusively(batch::getAsInt);
            if (handled.isEmpty()) return n == 0 ? Optional.empty() : Optional.of(total);
            total += handled.get();
            if (handled.get() < batchSize) break;
        }
        return Optional.of(total);
    }
}
