package com.orgkeys.application.audit.service;

import com.orgkeys.application.audit.port.in.ExportAuditEventsUseCase;
import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the export in keyset batches of {@code batchSize}: one short query each, no transaction held between them.
 * Each export is itself audited ({@code audit_log.exported}, with its range) when it is asked for, before the
 * first batch: a download that breaks off is still on record.
 */
public final class ExportAuditEventsService implements ExportAuditEventsUseCase {
    public static final int BATCH_SIZE = 1_000;

    private final AuditLog log;
    private final Audit audit;
    private final int batchSize;

    public ExportAuditEventsService(AuditLog log, Audit audit) {
        this(log, audit, BATCH_SIZE);
    }

    public ExportAuditEventsService(AuditLog log, Audit audit, int batchSize) {
        this.log = Objects.requireNonNull(log, "log");
        this.audit = Objects.requireNonNull(audit, "audit");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be ≥ 1");
        this.batchSize = batchSize;
    }

    @Override
    public Iterable<AuditEvent> exportAuditEvents(Caller caller, Range range) {
        OrganizationId organization = caller.require(Permission.MEMBERSHIPS_MANAGE);
        Objects.requireNonNull(range, "range");
        audit.record(caller, organization, "audit_log.exported", "",
                ("from=" + range.from().map(Object::toString).orElse("") + " to=" + range.to().map(Object::toString).orElse("")));
        return () -> new Batches(organization, range);
    }

    /** Fetches the next batch when the current one is used up; ends after a short batch. */
    private final class Batches implements Iterator<AuditEvent> {
        private final OrganizationId organization;
        private final Range range;
        private List<AuditEvent> batch = List.of();
        private int next;
        private boolean last;
        private Optional<AuditEvent> after = Optional.empty();

        Batches(OrganizationId organization, Range range) {
            this.organization = organization;
            this.range = range;
        }

        @Override
        public boolean hasNext() {
            if (next < batch.size()) return true;
            if (last) return false;
            batch = log.oldestFirst(organization, range.from(), range.to(), after, batchSize);
            next = 0;
            last = batch.size() < batchSize;
            if (!batch.isEmpty()) after = Optional.of(batch.getLast());
            return !batch.isEmpty();
        }

        @Override
        public AuditEvent next() {
            if (!hasNext()) throw new NoSuchElementException();
            return batch.get(next++);
        }
    }
}
