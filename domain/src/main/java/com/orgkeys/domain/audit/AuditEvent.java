package com.orgkeys.domain.audit;

import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.organization.OrganizationId;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A record that someone changed something in an organization: {@code action} is a dotted verb such as
 * {@code member.role_changed}.
 */
public record AuditEvent(UUID id, OrganizationId organizationId, Actor actor, String action, String target,
                         String details, String clientAddress, Instant occurredAt) {
    /** What kind of object each action's {@code target} names, by the action's first word. */
    private static final Map<String, String> TARGET_KINDS = Map.of("member", "user", "account", "user", "user", "user",
            "api_key", "api_key", "invitation", "invitation", "role", "role", "organization", "organization");

    public AuditEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        target = target == null ? "" : target;
        details = details == null ? "" : details;
        clientAddress = clientAddress == null ? "" : clientAddress;
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    /**
     * The object this event is about as "kind:id" ("api_key:&lt;id&gt;", "role:org:billing", "user:&lt;id&gt;" for member and
     * account events, "organization:&lt;id&gt;", "invitation:&lt;id&gt;"): what its name is looked up by. Empty without a target.
     */
    public Optional<String> targetRef() {
        int dot = action.indexOf('.');
        String kind = TARGET_KINDS.get(dot < 0 ? action : action.substring(0, dot));
        return kind == null || target.isEmpty() ? Optional.empty() : Optional.of(kind + ":" + target);
    }
}
