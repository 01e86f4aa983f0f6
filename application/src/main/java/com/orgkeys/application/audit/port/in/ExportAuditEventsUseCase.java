package com.orgkeys.application.audit.port.in;

import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The organization's audit events in a time range, oldest first, for download (needs
 * {@code org:sys_memberships:manage}, like the list).
 */
public interface ExportAuditEventsUseCase {
    /**
     * Checks the caller and the range at once; the events are then read in batches as the result is iterated, so
     * an export of any size holds one batch in memory.
     */
    Iterable<AuditEvent> exportAuditEvents(Caller caller, Range range);

    /** {@code from} inclusive, {@code to} exclusive; either may be open. Times PostgreSQL stores: years 1–9999. */
    record Range(Optional<Instant> from, Optional<Instant> to) {
        public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
        public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

        public Range {
            List<FieldError> errors = new ArrayList<>();
            check("from", from, errors);
            check("to", to, errors);
            if (errors.isEmpty() && from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
                errors.add(new FieldError("from", "must not be after to"));
            }
            if (!errors.isEmpty()) throw new InvalidInputException(errors);
        }

        public static Range everything() {
            return new Range(Optional.empty(), Optional.empty());
        }

        private static void check(String field, Optional<Instant> time, List<FieldError> errors) {
            if (time.isPresent() && (time.get().isBefore(EARLIEST) || time.get().isAfter(LATEST))) {
                errors.add(new FieldError(field, "must be between " + EARLIEST + " and " + LATEST));
            }
        }
    }
}
