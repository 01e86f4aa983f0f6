package com.orgkeys.application.retention.service;

import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.application.apikey.port.out.ApiKeyUsageRepository;
import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.application.invitation.port.out.InvitationRepository;
import com.orgkeys.application.retention.port.in.PurgeEndedRecordsUseCase;
import com.orgkeys.application.retention.port.out.AuditArchive;
import com.orgkeys.application.retention.port.out.JobLock;
import com.orgkeys.domain.audit.AuditEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Deletes ended sessions and finished invitations older than the retention period, and audit events older than
 * theirs, in small batches (one short transaction each, so requests are never held up), at most {@code maxBatches}
 * per table and run.
 */
public final class RetentionService implements PurgeEndedRecordsUseCase {
    public static final int BATCH_SIZE = 1_000;
    public static final int MAX_BATCHES = 100;

    /**
     * Audit events older than {@code period} are deleted; with an {@code archive}, each batch is first appended to it
     * and synced, inside the batch's transaction, so a batch is deleted only once it is archived.
     */
    public record AuditRetention(AuditLog log, Duration period, Optional<AuditArchive> archive) {
        public AuditRetention {
            Objects.requireNonNull(log, "log");
            if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive");
            Objects.requireNonNull(archive, "archive");
        }
    }

    private final SessionRepository sessions;
    private final InvitationRepository invitations;
    private final JobLock lock;
    private final Clock clock;
    private final Duration retention;
    private final Optional<AuditRetention> audit;
    private final int batchSize;
    private final int maxBatches;
    private Optional<ApiKeyUsageRepository> keyUsage = Optional.empty();

    public RetentionService(SessionRepository sessions, InvitationRepository invitations, JobLock lock, Clock clock,
                            Duration retention) {
        this(sessions, invitations, lock, clock, retention, Optional.empty());
    }

    /** {@code audit} empty: audit events are kept for ever. */
    public RetentionService(SessionRepository sessions, InvitationRepository invitations, JobLock lock, Clock clock,
                            Duration retention, Optional<AuditRetention> audit) {
        this(sessions, invitations, lock, clock, retention, audit, BATCH_SIZE, MAX_BATCHES);
    }

    public RetentionService(SessionRepository sessions, InvitationRepository invitations, JobLock lock, Clock clock,
                            Duration retention, int batchSize, int maxBatches) {
        this(sessions, invitations, lock, clock, retention, Optional.empty(), batchSize, maxBatches);
    }

    public RetentionService(SessionRepository sessions, InvitationRepository invitations, JobLock lock, Clock clock,
                            Duration retention, Optional<AuditRetention> audit, int batchSize, int maxBatches) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.invitations = Objects.requireNonNull(invitations, "invitations");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isNegative()) throw new IllegalArgumentException("retention must not be negative");
        if (batchSize < 1 || maxBatches < 1) throw new IllegalArgumentException("batchSize and maxBatches must be ≥ 1");
        this.retention = retention;
        this.audit = Objects.requireNonNull(audit, "audit");
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
    }

    /** Also deletes API key usage days older than {@value #KEY_USAGE_DAYS} days; call before the first purge. */
    public RetentionService deletingKeyUsage(ApiKeyUsageRepository usage) {
        this.keyUsage = Optional.of(usage);
        return this;
    }

    @Override
    public Purged purge() {
        Purged purged = purgeRecords();
        if (purged.skipped() || keyUsage.isEmpty()) return purged;
        LocalDate firstKept = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(KEY_USAGE_DAYS - 1);
        // the days as instants for drain(): midnight UTC of the first day kept
        Optional<Integer> days = drain((before, limit) -> keyUsage.get()
                .deleteBefore(LocalDate.ofInstant(before, ZoneOffset.UTC), limit), firstKept.atStartOfDay(ZoneOffset.UTC).toInstant());
        return days.map(purged::withKeyUsageDays).orElse(purged);
    }

    private Purged purgeRecords() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(retention);
        Optional<Integer> sessionCount = drain(sessions::deleteEndedBefore, cutoff);
        if (sessionCount.isEmpty()) return new Purged(0, 0, true);
        Optional<Integer> invitationCount = drain(invitations::deleteFinishedBefore, cutoff);
        if (invitationCount.isEmpty()) return new Purged(sessionCount.get(), 0, true);
        if (audit.isEmpty()) return new Purged(sessionCount.get(), invitationCount.get(), false);
        AuditRetention auditRetention = audit.get();
        Instant auditCutoff = now.minus(auditRetention.period());
        int[] archived = {0}; // what earlier batches deleted, when a later one fails to archive
        try {
            Optional<Integer> auditCount = drain((before, limit) -> {
                int deleted = purgeAuditBatch(auditRetention, before, limit, now);
                archived[0] += deleted;
                return deleted;
            }, auditCutoff);
            return new Purged(sessionCount.get(), invitationCount.get(), auditCount.orElse(0), auditCount.isEmpty(),
                    Optional.empty());
        } catch (AuditArchive.ArchiveFailedException e) {
            return new Purged(sessionCount.get(), invitationCount.get(), archived[0], false,
                    Optional.of(e.getMessage()));
        }
    }

    /** One batch of audit events, inside the lock's transaction: archived (and synced) first when there is an archive. */
    private int purgeAuditBatch(AuditRetention audit, Instant cutoff, int limit, Instant runAt) {
        if (audit.archive().isEmpty()) return audit.log().deleteOldestBefore(cutoff, limit);
        List<AuditEvent> events = audit.log().oldestBefore(cutoff, limit);
        if (events.isEmpty()) return 0;
        audit.archive().get().append(events, runAt); // throws, rolling the batch back, when it cannot be kept
        audit.log().delete(events);
        return events.size();
    }

    /** Batches until one comes back short or the bound is reached; empty when another node holds the lock. */
    private Optional<Integer> drain(BiFunction<Instant, Integer, Integer> deleteBatch, Instant cutoff) {
        return lock.drain(() -> deleteBatch.apply(cutoff, batchSize), batchSize, maxBatches);
    }
}
