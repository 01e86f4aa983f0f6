package com.orgkeys.bootstrap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a task at a fixed interval on one daemon thread, and once more when closed (so nothing is left behind). */
final class PeriodicTask implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Runnable task;
    private final ScheduledExecutorService scheduler;

    PeriodicTask(String name, Duration interval, Runnable task) {
        this.name = name;
        this.task = task;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon().factory());
        scheduler.scheduleWithFixedDelay(this::runLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
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
        runLogged();
    }
}
