package com.orgkeys.bootstrap;

import com.orgkeys.application.webhook.port.in.DeliverWebhooksUseCase;
import com.orgkeys.application.webhook.port.in.DeliverWebhooksUseCase.Outcome;
import com.orgkeys.application.webhook.port.out.ClaimedDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivers webhooks on virtual threads, up to {@link #IN_FLIGHT} at once per node: claims as many due deliveries as
 * there are free slots, sends each on its own thread, and claims again as soon as one ends (or after the poll
 * interval when nothing was due). A slow receiver takes one slot for at most the sender's timeout; the others keep
 * going. Every node runs one; the claim's row locks and leases keep them apart. Closing waits for the sends in
 * progress; a node that dies leaves its claimed deliveries to be taken again when their lease ends.
 */
final class WebhookWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);
    static final int IN_FLIGHT = 64;
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);

    private final DeliverWebhooksUseCase webhooks;
    private final Duration pollInterval;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile boolean stopping;
    private final Thread thread;

    WebhookWorker(DeliverWebhooksUseCase webhooks, Duration pollInterval) {
        this.webhooks = webhooks;
        this.pollInterval = pollInterval;
        this.thread = Thread.ofVirtual().name("webhook-worker").start(this::run);
    }

    private void run() {
        while (!stopping) {
            int free = 0;
            try {
                slots.acquire(); // at least one free slot before claiming
                if (stopping) {
                    slots.release();
                    return;
                }
                free = 1 + slots.drainPermits();
                List<ClaimedDelivery> claimed = webhooks.claimDue(free);
                slots.release(free - claimed.size());
                free = 0;
                for (ClaimedDelivery delivery : claimed) sends.submit(() -> send(delivery));
                if (claimed.isEmpty()) pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                slots.release(free);
                log.warn("webhooks: claiming deliveries failed (tried again in {} ms): {}", pollInterval.toMillis(),
                        e.getMessage());
                pause();
            }
        }
    }

    private void send(ClaimedDelivery delivery) {
        try {
            Outcome outcome = webhooks.deliver(delivery);
            if (outcome.endpointDisabled()) {
                log.warn("webhooks: endpoint {} disabled after failing for 5 days", delivery.endpointId());
            } else if (!outcome.delivered() && outcome.retryAt().isEmpty()) {
                log.info("webhooks: gave up on {} to endpoint {} after attempt {}: {}", delivery.messageId(),
                        delivery.endpointId(), delivery.attempt(), outcome.error().orElse(""));
            }
        } catch (RuntimeException e) {
            // the outcome was not recorded: the delivery is due again when its lease ends
            log.warn("webhooks: delivery of {} failed: {}", delivery.messageId(), e.getMessage());
        } finally {
            slots.release();
            lock.lock();
            try {
                wake.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void pause() {
        lock.lock();
        try {
            if (!stopping) wake.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        thread.join(CLOSE_TIMEOUT);
        sends.shutdown();
        if (!sends.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("webhooks: sends in progress did not end within {} s; they are delivered again later",
                    CLOSE_TIMEOUT.toSeconds());
        }
    }
}
