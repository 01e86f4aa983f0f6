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

/**
 * Delivers webhooks on virtual threads, up to {@link #IN_FLIGHT} at once per node: claims as many due deliveries as
 * there are free slots and sends each on its own thread. A claim that filled every free slot may have left more due:
 * the next one comes as soon as a slot frees. One that did not took all that was due: the next one comes when this
 * node commits new deliveries, or after the poll interval for those another node added and retries come due. A slow
 * receiver takes one slot for at most the sender's timeout; the others keep going. Every node runs one; the claim's
 * row locks and leases keep them apart. Closing waits for the sends in progress; a node that dies leaves its claimed
 * deliveries to be taken again when their lease ends.
 */
final class WebhookWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);
    static final int IN_FLIGHT = 64;
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);

    private final DeliverWebhooksUseCase webhooks;
    private final Duration pollInterval;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    private final WorkerPause pause;
    private final Thread thread;

    /** @param pause woken by this node's commits that add deliveries ({@code WebhookDeliveriesAdded}), and stopped by close */
    WebhookWorker(DeliverWebhooksUseCase webhooks, Duration pollInterval, WorkerPause pause) {
        this.webhooks = webhooks;
        this.pollInterval = pollInterval;
        this.pause = pause;
        this.thread = Thread.ofVirtual().name("webhook-worker").start(this::run);
    }

    private void run() {
        while (!pause.stopped()) {
            int free = 0;
            try {
                slots.acquire(); // at least one free slot before claiming
                if (pause.stopped()) {
                    slots.release();
                    return;
                }
                free = 1 + slots.drainPermits();
                List<ClaimedDelivery> claimed = webhooks.claimDue(free);
                slots.release(free - claimed.size());
                boolean full = claimed.size() == free;
                free = 0;
                for (ClaimedDelivery delivery : claimed) sends.submit(() -> send(delivery));
                if (!full) pause.await(pollInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                slots.release(free);
                log.warn("webhooks: claiming deliveries failed (tried again in {} ms): {}", pollInterval.toMillis(),
                        e.getMessage());
                pause.await(pollInterval);
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
            slots.release(); // a claim that filled every slot is waiting for it
        }
    }

    @Override
    public void close() throws InterruptedException {
        pause.stop();
        thread.join(CLOSE_TIMEOUT);
        sends.shutdown();
        if (!sends.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("webhooks: sends in progress did not end within {} s; they are delivered again later",
                    CLOSE_TIMEOUT.toSeconds());
        }
    }
}
