package com.orgkeys.application.webhook.service;

import com.orgkeys.application.retention.port.out.JobLock;
import com.orgkeys.application.webhook.port.in.PurgeWebhookHistoryUseCase;
import com.orgkeys.application.webhook.port.out.WebhookDeliveryRepository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Deletes webhook messages (and, with them, their deliveries and attempts) older than the retention period, in
 * small batches under the retention job's lock (one node at a time, one short transaction per batch). A message is
 * kept while any delivery of it is newer than the period (a recent replay) or still pending to an enabled endpoint.
 */
public final class PurgeWebhookHistoryService implements PurgeWebhookHistoryUseCase {
    /** Messages per batch: each takes its deliveries and their attempts along (up to 8 attempts per delivery). */
    public static final int BATCH_SIZE = 200;
    public static final int MAX_BATCHES = 500;

    private final WebhookDeliveryRepository deliveries;
    private final JobLock lock;
    private final Clock clock;
    private final Duration retention;
    private final int batchSize;
    private final int maxBatches;

    public PurgeWebhookHistoryService(WebhookDeliveryRepository deliveries, JobLock lock, Clock clock, Duration retention) {
        this(deliveries, lock, clock, retention, BATCH_SIZE, MAX_BATCHES);
    }

    public PurgeWebhookHistoryService(WebhookDeliveryRepository deliveries, JobLock lock, Clock clock, Duration retention,
                            int batchSize, int maxBatches) {
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isNegative() || retention.isZero()) throw new IllegalArgumentException("retention must be positive");
        if (batchSize < 1 || maxBatches < 1) throw new IllegalArgumentException("batchSize and maxBatches must be ≥ 1");
        this.retention = retention;
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
    }

    @Override
    public Optional<Integer> purgeSettled() {
        Instant cutoff = clock.instant().minus(retention);
        return lock.drain(() -> deliveries.deleteSettledBefore(cutoff, batchSize), batchSize, maxBatches);
    }
}
