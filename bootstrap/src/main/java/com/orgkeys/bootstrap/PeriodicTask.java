package com.orgkeys.bootstrap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task at a fixed interval on one daemon thread, and once more when closed (so nothing is left behind),
 * or, made with {@link #background}, first after a delay and not when closed.
 */
final class PeriodicTask implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Runnable task;
    private final boolean runOnClose;
    private final ScheduledExecutorService scheduler;

    PeriodicTask(String name, Duration interval, Runnable task) {
        this(name, interval, interval, task, true);
    }

    private PeriodicTask(String name, Duration firstDelay, Duration interval, Runnable task, boolean runOnClose) {
        this.name = name;
        this.task = task;
        this.runOnClose = runOnClose;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon().factory());
        scheduler.scheduleWithFixedDelay(this::runLogged, firstDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Housekeeping: first after {@code firstDelay} (not in the way of startup), then every interval; not at close. */
    static PeriodicTask background(String name, Duration firstDelay, Duration interval, Runnable task) {
        return new PeriodicTask(name, firstDelay, interval, task, false);
    }

    /** Runs the task once more now, on its thread (never at the same time as a scheduled run); not after close. */
    void runSoon() {
        try {
            scheduler.execute(this::runLogged);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the run at close takes care of it
        }
    }

    private void runLogged() {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("{} failed (will retry): {}", name, e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        if (runOnClose) runLogged();
    }
}
