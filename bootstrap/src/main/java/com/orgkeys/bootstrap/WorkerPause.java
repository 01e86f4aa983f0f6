package com.orgkeys.bootstrap;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a background worker's loop waits on between rounds: its poll interval, cut short by {@link #wake} (work may be
 * due now) or {@link #stop} (the node is closing, which also ends every later wait at once). A wake that comes while
 * the loop is busy ends its next wait at once: the work it announced may have been committed after the round looked.
 */
final class WorkerPause {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean woken; // guarded by lock
    private volatile boolean stopped;

    /** Waits up to {@code interval}, unless woken or stopped; an interrupt stops the worker. */
    void await(Duration interval) {
        lock.lock();
        try {
            if (!stopped && !woken) signal.await(interval.toMillis(), TimeUnit.MILLISECONDS);
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        } finally {
            lock.unlock();
        }
    }

    void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        stopped = true;
        wake();
    }

    boolean stopped() {
        return stopped;
    }
}
