package com.orgkeys.domain.webhook;

import com.orgkeys.domain.shared.InvalidInputException;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The event types an endpoint receives; empty means every type. Only the types orgkeys sends can be named. */
public record EventFilter(Set<String> types) {
    /** Every event type orgkeys sends, in the order the documentation lists them (test events go regardless). */
    public static final List<String> KNOWN_TYPES = List.of(
            "user.created", "user.updated", "user.deleted",
            "session.created", "session.ended", "session.revoked",
            "organization.created", "organization.updated", "organization.deleted",
            "organizationMembership.created", "organizationMembership.updated", "organizationMembership.deleted",
            "organizationInvitation.created", "organizationInvitation.accepted", "organizationInvitation.revoked",
            "apiKey.created", "apiKey.updated", "apiKey.revoked", "apiKey.expired", "apiKey.expiring");
    /**
     * Accounts belong to no organization, and a deleted organization's endpoints go with it: these types reach
     * instance-level endpoints only, so an organization's endpoint may not ask for them.
     */
    public static final Set<String> INSTANCE_ONLY_TYPES = Set.of("user.created", "user.updated", "user.deleted",
            "session.created", "session.ended", "session.revoked", "organization.deleted");
    /** The types an organization's endpoint can receive, in the documentation's order. */
    public static final List<String> ORGANIZATION_TYPES = KNOWN_TYPES.stream()
            .filter(type -> !INSTANCE_ONLY_TYPES.contains(type)).toList();
    public static final EventFilter ALL = new EventFilter(Set.of());
    public static final int MAX_TYPES = KNOWN_TYPES.size();
    private static final Pattern TYPE = Pattern.compile("[a-zA-Z]{1,40}\\.[a-zA-Z]{1,40}");

    public EventFilter {
        if (types == null) types = Set.of();
        if (types.size() > MAX_TYPES) throw new InvalidInputException("eventTypes", "at most " + MAX_TYPES + " types");
        for (String type : types) {
            if (type == null || !TYPE.matcher(type).matches()) {
                throw new InvalidInputException("eventTypes", "each type is like apiKey.created");
            }
            if (!KNOWN_TYPES.contains(type)) {
                throw new InvalidInputException("eventTypes", "unknown event type " + type + " (see docs/webhooks.md)");
            }
        }
        types = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(types));
    }

    /** Refuses the types an organization's endpoint would never be sent. */
    public void requireReceivableByAnOrganization() {
        List<String> refused = KNOWN_TYPES.stream()
                .filter(type -> types.contains(type) && INSTANCE_ONLY_TYPES.contains(type)).toList();
        if (!refused.isEmpty()) {
            throw new InvalidInputException("eventTypes", String.join(", ", refused)
                    + (refused.size() == 1 ? " is" : " are") + " sent to instance-level endpoints only");
        }
    }

    public boolean matches(String type) {
        return types.isEmpty() || types.contains(type);
    }
}
