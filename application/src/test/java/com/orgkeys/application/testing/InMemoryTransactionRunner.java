package com.orgkeys.application.testing;

import com.orgkeys.application.shared.port.out.TransactionRunner;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs every transaction under one lock, so that they happen one after another: the fakes' equivalent of
 * {@code OrganizationRepository.lock}. A transaction that throws puts the store back as it was, like a
 * rollback. Nested calls join the outer transaction (the lock is reentrant).
 */
public final class InMemoryTransactionRunner implements TransactionRunner {
    private final InMemoryStore store;
    private final ReentrantLock lock = new ReentrantLock(true);
    /** Only touched by the lock's holder. */
    private final java.util.List<Runnable> afterCommit = new java.util.ArrayList<>();

    public InMemoryTransactionRunner(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        java.util.List<Runnable> committedActions;
        T result;
        lock.lock();
        try {
            if (lock.getHoldCount() > 1) return work.get();
            Object before = store.snapshot();
            boolean committed = false;
            try {
                result = work.get();
                committed = true;
            } finally {
                if (!committed) store.restore(before);
                committedActions = java.util.List.copyOf(afterCommit);
                afterCommit.clear();
            }
        } finally {
            lock.unlock();
        }
        for (Runnable action : committedActions) { // as after a real commit: outside it, each whatever the others do
            try {
                action.run();
            } catch (RuntimeException e) {
                System.err.println("an action after a commit failed: " + e);
            }
        }
        return result;
    }

    @Override
    public void afterCommit(Runnable action) {
        if (lock.isHeldByCurrentThread()) afterCommit.add(action);
        else action.run();
    }

    @Override
    public boolean insideTransaction() {
        return lock.isHeldByCurrentThread();
    }
}
