package com.orgkeys.http.audit;

import com.orgkeys.application.audit.port.in.ExportAuditEventsUseCase;
import com.orgkeys.application.audit.port.in.ListAuditEventsUseCase;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies;
import com.orgkeys.http.shared.Requests;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

public final class AuditRoutes {
    record AuditEventJson(String id, String actor, String action, String target, String details,
                          String clientAddress, Instant occurredAt) {
        static AuditEventJson of(AuditEvent e) {
            return new AuditEventJson(e.id().toString(), e.actor().value(), e.action(), e.target(), e.details(),
                    e.clientAddress(), e.occurredAt());
        }
    }

    private final ListAuditEventsUseCase audit;
    private final ExportAuditEventsUseCase export;
    private final Authenticator auth;

    public AuditRoutes(ListAuditEventsUseCase audit, ExportAuditEventsUseCase export, Authenticator auth) {
        this.audit = audit;
        this.export = export;
        this.auth = auth;
    }

    public void register(Router router) {
        router.get("/api/audit-events", Access.USER, call -> call.json(200, JsonBodies.PageJson.of(
                audit.listAuditEvents(auth.requireCaller(call), Requests.page(call)).map(AuditEventJson::of))));
        router.get("/api/audit-events/export", Access.USER, this::export);
    }

    /** The events from {@code from} (inclusive) to {@code to} (exclusive), oldest first, one JSON object per line. */
    private void export(HttpCall call) {
        Caller caller = auth.requireCaller(call);
        List<FieldError> errors = new ArrayList<>();
        Optional<Instant> from = time(call, "from", errors);
        Optional<Instant> to = time(call, "to", errors);
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Iterable<AuditEvent> events = export.exportAuditEvents(caller, new ExportAuditEventsUseCase.Range(from, to));
        String organization = caller.requireOrganization().value().toString();
        call.setHeader("Content-Disposition", "attachment; filename=\"audit-events-" + organization + ".jsonl\"");
        // mapped one event at a time as the answer is written (the events are read in batches as they are needed)
        Iterable<AuditEventJson> lines = () -> StreamSupport.stream(events.spliterator(), false).map(AuditEventJson::of).iterator();
        call.jsonLines(200, lines);
    }

    /** An RFC 3339 time with its offset ({@code 2026-12-01T00:00:00Z}, {@code …+01:00} with '+' sent as %2B). */
    private static Optional<Instant> time(HttpCall call, String name, List<FieldError> errors) {
        Optional<String> text = call.queryParam(name).filter(t -> !t.isEmpty());
        if (text.isEmpty()) return Optional.empty();
        try {
            return Optional.of(OffsetDateTime.parse(text.get(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be an RFC 3339 time such as 2026-12-01T00:00:00Z"
                    + " (an offset's '+' sent as %2B)"));
            return Optional.empty();
        }
    }
}
