package com.orgkeys.application.retention.service;

import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.application.invitation.port.out.InvitationRepository;
import com.orgkeys.application.retention.port.in.PurgeEndedRecordsUseCase;
import com.orgkeys.application.retention.port.out.JobLock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Deletes ended sessions and finished invitations older than the retention period, in small batches (one short
 * transaction each, so requests are never held up), at most {@code maxBatches} per table and run.
 */
public final class RetentionService implements PurgeEndedRecordsUseCase {
    public static final int BATCH_SIZE = 1_000;
    public static final int MAX_BATCHES = 100;

    private final SessionRepository sessions;
    private final InvitationRepository invitations;
    private final JobLock lock;
    private final Clock clock;
    private final Duration retention;
    private final int batchSize;
    private final int maxBatches;

    public RetentionService(SessionRepository sessions, InvitationRepository invitations, JobLock lock, Clock clock,
                            Duration retention) {
        this(sessions, invitations, lock, clock, retention, BATCH_SIZE, MAX_BATCHES);
    }

    public RetentionService(SessionRepository sessions, InvitationRepository invitations, JobLock lock, Clock clock,
                            Duration retention, int batchSize, int maxBatches) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.invitations = Objects.requireNonNull(invitations, "invitations");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isNegative()) throw new IllegalArgumentException("retention must not be negative");
        if (batchSize < 1 || maxBatches < 1) throw new IllegalArgumentException("batchSize and maxBatches must be ≥ 1");
        this.retention = retention;
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
    }

    @Override
    public Purged purge() {
        Instant cutoff = clock.instant().minus(retention);
        Optional<Integer> sessionCount = drain(sessions::deleteEndedBefore, cutoff);
        if (sessionCount.isEmpty()) return new Purged(0, 0, true);
        Optional<Integer> invitationCount = drain(invitations::deleteFinishedBefore, cutoff);
        return new Purged(sessionCount.get(), invitationCount.orElse(0), invitationCount.isEmpty());
    }

    /** Batches until one comes back short or the bound is reached; empty when another node holds the lock. */
    private Optional<Integer> drain(BiFunction<Instant, Integer, Integer> deleteBatch, Instant cutoff) {
        int total = 0;
        for (int batch = 0; batch < maxBatches; batch++) {
            Optional<Integer> deleted = lock.tryExclusively(() -> deleteBatch.apply(cutoff, batchSize));
            if (deleted.isEmpty()) return total == 0 ? Optional.empty() : Optional.of(total);
            total += deleted.get();
            if (deleted.get() < batchSize) break;
        }
        return Optional.of(total);
    }
}
