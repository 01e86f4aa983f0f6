package com.orgkeys.domain.audit;

import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.InvalidInputException;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Which events of the audit log to list: those of one {@code action}, of one {@code actor}, or both. */
public record AuditFilter(Optional<String> action, Optional<Actor> actor) {
    public static final AuditFilter NONE = new AuditFilter(Optional.empty(), Optional.empty());
    private static final Pattern ACTION = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+){1,4}");

    public AuditFilter {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        action.ifPresent(a -> {
            if (a.length() > 100 || !ACTION.matcher(a).matches()) {
                throw new InvalidInputException("action", "must be an action such as member.role_changed");
            }
        });
    }

    /** From a form's or a URL's values; a blank value filters nothing. */
    public static AuditFilter of(String action, String actor) {
        Optional<Actor> who = Optional.empty();
        if (actor != null && !actor.isBlank()) {
            try {
                who = Optional.of(Actor.of(actor.strip()));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("actor", "must be user:<id> or api_key:<id>");
            }
        }
        return new AuditFilter(action == null || action.isBlank() ? Optional.empty() : Optional.of(action.strip()), who);
    }

    /** The fingerprint of this filtered list for its cursors ({@link Cursor#list}); unfiltered as it always was. */
    public String cursorList(OrganizationId organizationId) {
        return equals(NONE) ? Cursor.list("audit-events", organizationId)
                : Cursor.list("audit-events", organizationId, action.orElse(""), actor.map(Actor::value).orElse(""));
    }

    public boolean matches(AuditEvent event) {
        return action.map(event.action()::equals).orElse(true) && actor.map(event.actor()::equals).orElse(true);
    }
}
