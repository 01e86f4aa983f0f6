package com.orgkeys.application.outbox.service;

import com.orgkeys.application.outbox.port.in.ProcessOutboxUseCase;
import com.orgkeys.application.outbox.port.out.OutboxMessage;
import com.orgkeys.application.outbox.port.out.OutboxRepository;
import com.orgkeys.application.outbox.port.out.UndeliverableException;
import com.orgkeys.application.retention.port.out.JobLock;
import com.orgkeys.application.shared.port.out.TransactionRunner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers outbox messages. A batch is claimed and delivered in one transaction that holds its rows
 * ({@code FOR UPDATE SKIP LOCKED}), so any number of workers on any number of nodes never deliver one message at the
 * same time, and a message recorded as sent is never claimed again. A worker killed between a delivery and its
 * commit leaves the message due: delivery is at least once.
 */
public final class OutboxService implements ProcessOutboxUseCase {
    public static final int BATCH_SIZE = 10;
    static final int MAX_ERROR_LENGTH = 500;
    static final int PURGE_BATCH_SIZE = 1_000;
    static final int PURGE_MAX_BATCHES = 100;

    private final OutboxRepository outbox;
    private final TransactionRunner tx;
    private final Clock clock;
    private final Map<String, OutboxDelivery> deliveries = new HashMap<>();
    private final RetryPolicy retries;
    private final int batchSize;
    private final JobLock purgeLock;
    private final Duration retention;

    public OutboxService(OutboxRepository outbox, TransactionRunner tx, Clock clock, List<OutboxDelivery> deliveries,
                         RetryPolicy retries, int batchSize, JobLock purgeLock, Duration retention) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (OutboxDelivery delivery : deliveries) {
            if (this.deliveries.put(delivery.kind(), delivery) != null) {
                throw new IllegalArgumentException("two deliveries for " + delivery.kind());
            }
        }
        this.retries = Objects.requireNonNull(retries, "retries");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be ≥ 1");
        this.batchSize = batchSize;
        this.purgeLock = Objects.requireNonNull(purgeLock, "purgeLock");
        if (retention.isNegative()) throw new IllegalArgumentException("retention must not be negative");
        this.retention = retention;
    }

    @Override
    public Delivered deliverDue() {
        return tx.inTransaction(() -> {
            List<OutboxMessage> due = outbox.claimDue(clock.instant(), batchSize);
            int sent = 0;
            List<Failure> failures = new ArrayList<>();
            for (OutboxMessage message : due) {
                try {
                    OutboxDelivery delivery = deliveries.get(message.kind());
                    if (delivery == null) throw new IllegalStateException("no delivery for kind '" + message.kind() + "'");
                    delivery.deliver(message.payload());
                } catch (RuntimeException e) {
                    int attempts = message.attempts() + 1;
                    String error = describe(e);
                    Instant now = clock.instant();
                    boolean forGood = e instanceof UndeliverableException;
                    Optional<Instant> retryAt = forGood ? Optional.empty()
                            : retries.nextAttempt(attempts, now, ThreadLocalRandom.current());
                    if (retryAt.isPresent()) {
                        outbox.markFailed(message.id(), attempts, error, retryAt.get());
                    } else {
                        outbox.markDead(message.id(), attempts, error, now);
                    }
                    failures.add(new Failure(message.id().toString(), message.kind(), attempts, error, retryAt));
                    if (forGood) continue; // this message's own fault: the next may well go through
                    break; // the receiver may be down: the rest stay due, for the next round
                }
                outbox.markSent(message.id(), clock.instant());
                sent++;
            }
            return new Delivered(due.size(), sent, failures);
        });
    }

    @Override
    public Optional<Integer> purgeFinished() {
        Instant cutoff = clock.instant().minus(retention);
        return purgeLock.drain(() -> outbox.deleteFinishedBefore(cutoff, PURGE_BATCH_SIZE), PURGE_BATCH_SIZE,
                PURGE_MAX_BATCHES);
    }

    /** One line, bounded: the exception's kind and message (never the payload). */
    static String describe(RuntimeException e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        text = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }
}
