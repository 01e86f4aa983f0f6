package com.orgkeys.bootstrap;

import com.orgkeys.application.outbox.port.in.ProcessOutboxUseCase;
import com.orgkeys.application.outbox.port.in.ProcessOutboxUseCase.Delivered;
import com.orgkeys.application.outbox.port.in.ProcessOutboxUseCase.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Delivers the outbox on a virtual thread: a batch after another while batches come back full, else one round per
 * poll interval. Every node runs one; the claim's row locks keep them apart. Closing lets the round in progress end
 * (its SMTP calls are bounded by timeouts); a round cut short by the process dying is delivered again later.
 */
final class OutboxWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

    private final ProcessOutboxUseCase outbox;
    private final int batchSize;
    private final Duration pollInterval;
    private final WorkerPause pause = new WorkerPause();
    private final Thread thread;

    OutboxWorker(ProcessOutboxUseCase outbox, int batchSize, Duration pollInterval) {
        this.outbox = outbox;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.thread = Thread.ofVirtual().name("outbox-worker").start(this::run);
    }

    private void run() {
        while (!pause.stopped()) {
            boolean full = false;
            try {
                Delivered delivered = outbox.deliverDue();
                delivered.failures().forEach(OutboxWorker::report);
                full = delivered.sent() == batchSize;
            } catch (RuntimeException e) {
                log.warn("outbox: delivery round failed (tried again in {} ms): {}", pollInterval.toMillis(),
                        e.getMessage());
            }
            if (!full) pause.await(pollInterval);
        }
    }

    /** A retry at warn level; the last attempt once, at error level. Never the payload (the link it carries). */
    private static void report(Failure failure) {
        if (failure.retryAt().isPresent()) {
            log.warn("outbox: {} message {} not delivered (attempt {}), next attempt at {}: {}", failure.kind(),
                    failure.id(), failure.attempts(), failure.retryAt().get(), failure.error());
        } else {
            log.error("outbox: gave up on {} message {} after {} attempts: {}", failure.kind(), failure.id(),
                    failure.attempts(), failure.error());
        }
    }

    @Override
    public void close() throws InterruptedException {
        pause.stop();
        if (!thread.join(CLOSE_TIMEOUT)) {
            log.warn("outbox: the delivery round in progress did not end within {} s; its messages stay due",
                    CLOSE_TIMEOUT.toSeconds());
        }
    }
}
