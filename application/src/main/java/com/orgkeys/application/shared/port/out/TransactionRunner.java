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

    default void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
