package com.orgkeys.application.audit.service;

import com.orgkeys.application.audit.port.in.ListAuditEventsUseCase;
import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.audit.AuditFilter;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.caller.Actor.LeakReportActor;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class ListAuditEventsService implements ListAuditEventsUseCase {
    static final String DELETED = "deleted";
    static final String LEAK_REPORT = "a leak report";
    /** The name or address an event's details recorded ("name=…" before the next field, "email=…"). */
    private static final Pattern RECORDED_NAME = Pattern.compile("^(?:name|email)=(.*?)(?: (?:scopes|reason|role|slug|permissions)=|$)");

    private final AuditLog log;

    public ListAuditEventsService(AuditLog log) {
        this.log = log;
    }

    @Override
    public Page<AuditEvent> listAuditEvents(Caller caller, PageRequest page) {
        return log.page(caller.require(Permission.MEMBERSHIPS_MANAGE), page);
    }

    @Override
    public Page<NamedAuditEvent> listNamedAuditEvents(Caller caller, AuditFilter filter, PageRequest page) {
        OrganizationId org = caller.require(Permission.MEMBERSHIPS_MANAGE);
        Page<AuditEvent> events = log.page(org, filter, page);
        Set<String> refs = new HashSet<>();
        for (AuditEvent e : events.data()) {
            refs.add(e.actor().value());
            e.targetRef().ifPresent(refs::add);
        }
        Map<String, AuditLog.Name> names = new HashMap<>(log.names(org, refs));
        Role.BUILT_IN.forEach(r -> names.put("role:" + r.key().value(), new AuditLog.Name(r.name(), "")));
        // an anonymous reporter has no record to name it by
        names.put(LeakReportActor.INSTANCE.value(), new AuditLog.Name(LEAK_REPORT, ""));
        return events.map(e -> {
            Optional<String> ref = e.targetRef();
            Optional<AuditLog.Name> target = ref.map(names::get);
            return new NamedAuditEvent(e, label(names.get(e.actor().value())).orElse(DELETED),
                    ref.map(r -> target.flatMap(ListAuditEventsService::label).orElseGet(() -> lastKnownName(e))),
                    target.isPresent());
        });
    }

    private static Optional<String> label(AuditLog.Name name) {
        if (name == null) return Optional.empty();
        if (name.email().isEmpty()) return Optional.of(name.name());
        return Optional.of(name.name().isBlank() ? name.email() : name.name() + " (" + name.email() + ")");
    }

    /** For an object deleted since: the name its event recorded (a key's name, an invited address), else "deleted". */
    private static String lastKnownName(AuditEvent event) {
        Matcher recorded = RECORDED_NAME.matcher(event.details());
        if (recorded.find() && !recorded.group(1).isBlank()) return recorded.group(1) + " (" + DELETED + ")";
        if (event.action().startsWith("role.")) return event.target() + " (" + DELETED + ")";
        return DELETED;
    }
}
