package com.orgkeys.application.shared.port.out;

import java.util.function.Supplier;

/**
 * Runs a unit of work in one database transaction: committed when {@code work} returns, rolled back when it
 * throws. Nested calls join the outer transaction, so a use case can call another without splitting it.
 */
public interface TransactionRunner {
    <T> T inTransaction(Supplier<T> work);

    /** Whether the calling thread is inside {@link #inTransaction}: a read shared with other callers must not be. */
    boolean insideTransaction();

    /**
     * Runs {@code action} once the calling thread's transaction has committed (never if it rolls back); outside a
     * transaction, at once. For what must not happen before others can see the change, e.g. forgetting a cached key:
     * a request in between would read the old state again and keep it.
     */
    void afterCommit(Runnable action);

    default void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
