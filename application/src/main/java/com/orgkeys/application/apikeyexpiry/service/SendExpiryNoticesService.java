package com.orgkeys.application.apikeyexpiry.service;

import com.orgkeys.application.apikeyexpiry.port.in.SendExpiryNoticesUseCase;
import com.orgkeys.application.apikeyexpiry.port.out.ExpiryNoticeRepository;
import com.orgkeys.application.retention.port.out.JobLock;
import com.orgkeys.application.webhook.service.WebhookData;
import com.orgkeys.application.webhook.service.WebhookEvents;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Sends {@code apiKey.expiring} and {@code apiKey.expired} in small batches, each one short transaction holding the
 * job's lock (one node at a time) that records the events and settles the keys' notices together: a crash rolls a
 * batch back whole, so a notice is never lost and never recorded twice, and the keys are locked while it runs, so a
 * revocation is either before (no event) or after it.
 */
public final class SendExpiryNoticesService implements SendExpiryNoticesUseCase {
    public static final int BATCH_SIZE = 100;
    /** Per notice and run: 5,000 keys a minute, more than any deployment expires; the rest wait for the next run. */
    public static final int MAX_BATCHES = 50;

    private record Batch(int keys, int sent) {
    }

    private final ExpiryNoticeRepository notices;
    private final WebhookEvents webhooks;
    private final JobLock lock;
    private final Clock clock;
    private final int batchSize;
    private final int maxBatches;

    public SendExpiryNoticesService(ExpiryNoticeRepository notices, WebhookEvents webhooks, JobLock lock, Clock clock) {
        this(notices, webhooks, lock, clock, BATCH_SIZE, MAX_BATCHES);
    }

    public SendExpiryNoticesService(ExpiryNoticeRepository notices, WebhookEvents webhooks, JobLock lock, Clock clock,
                                    int batchSize, int maxBatches) {
        this.notices = Objects.requireNonNull(notices, "notices");
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (batchSize < 1 || maxBatches < 1) throw new IllegalArgumentException("batchSize and maxBatches must be ≥ 1");
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
    }

    @Override
    public Sent sendDue() {
        Instant now = clock.instant();
        // expiring first: a key found past its expiry there is settled without it, and told expired just after
        Optional<Integer> expiring = drain(() -> batch(
                notices.lockDueForExpiringNotice(now.plus(ApiKey.EXPIRING_NOTICE_LEAD), batchSize),
                "apiKey.expiring", ApiKey::owesExpiringNoticeAt, now, notices::settleExpiringNotices));
        if (expiring.isEmpty()) return Sent.SKIPPED;
        Optional<Integer> expired = drain(() -> batch(notices.lockDueForExpiredNotice(now, batchSize),
                "apiKey.expired", ApiKey::owesExpiredNoticeAt, now, notices::settleExpiredNotices));
        return new Sent(expiring.get(), expired.orElse(0), expired.isEmpty());
    }

    /** Inside the lock's transaction: the events of the keys that owe one, then every key's notice settled. */
    private Batch batch(List<ApiKey> due, String type, BiPredicate<ApiKey, Instant> owes, Instant now,
                        BiConsumer<List<ApiKeyId>, Instant> settle) {
        int sent = 0;
        for (ApiKey key : due) {
            if (!owes.test(key, now)) continue;
            webhooks.record(Optional.of(key.organizationId()), type, WebhookData.apiKey(key, key.statusAt(now)));
            sent++;
        }
        if (!due.isEmpty()) settle.accept(due.stream().map(ApiKey::id).toList(), now);
        return new Batch(due.size(), sent);
    }

    /** Batches until one comes back short or the bound is reached; empty when another node holds the lock. */
    private Optional<Integer> drain(Supplier<Batch> batch) {
        int sent = 0;
        for (int n = 0; n < maxBatches; n++) {
            Optional<Batch> done = lock.tryExclusively(batch);
            if (done.isEmpty()) return n == 0 ? Optional.empty() : Optional.of(sent);
            sent += done.get().sent();
            if (done.get().keys() < batchSize) break;
        }
        return Optional.of(sent);
    }
}
