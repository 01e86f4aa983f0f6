package com.orgkeys.domain.membership;

import com.orgkeys.domain.shared.InvalidInputException;

import java.util.List;
import java.util.Set;

/** A Clerk-compatible permission key, {@code org:<feature>:<action>}. Only the known ones exist. */
public record Permission(String value) {
    // first: the constants below are checked against it while the class initializes
    private static final Set<String> KNOWN = Set.of("org:sys_profile:manage", "org:sys_profile:delete",
            "org:sys_memberships:read", "org:sys_memberships:manage", "org:sys_api_keys:read",
            "org:sys_api_keys:manage", "org:sys_webhooks:manage", "org:agents:read", "org:agents:manage");

    public static final Permission PROFILE_MANAGE = new Permission("org:sys_profile:manage");
    public static final Permission PROFILE_DELETE = new Permission("org:sys_profile:delete");
    public static final Permission MEMBERSHIPS_READ = new Permission("org:sys_memberships:read");
    public static final Permission MEMBERSHIPS_MANAGE = new Permission("org:sys_memberships:manage");
    public static final Permission API_KEYS_READ = new Permission("org:sys_api_keys:read");
    public static final Permission API_KEYS_MANAGE = new Permission("org:sys_api_keys:manage");
    /** Webhook endpoints: their URLs, secrets, test events, attempts and replays (issue 24). */
    public static final Permission WEBHOOKS_MANAGE = new Permission("org:sys_webhooks:manage");
    public static final Permission AGENTS_READ = new Permission("org:agents:read");
    public static final Permission AGENTS_MANAGE = new Permission("org:agents:manage");

    /** Every permission, in the order the documentation and the dashboard list them. */
    public static final List<Permission> ALL = List.of(PROFILE_MANAGE, PROFILE_DELETE, MEMBERSHIPS_READ,
            MEMBERSHIPS_MANAGE, API_KEYS_READ, API_KEYS_MANAGE, WEBHOOKS_MANAGE, AGENTS_READ, AGENTS_MANAGE);

    public Permission {
        if (value == null) throw new InvalidInputException("permissions", "must not be null");
        if (!KNOWN.contains(value)) throw new InvalidInputException("permissions", "unknown permission '" + value + "'");
    }

    /** The feature permissions: the only ones an API key may carry (keys never manage the organization). */
    public static final List<Permission> FEATURES = List.of(AGENTS_READ, AGENTS_MANAGE);

    /** Whether this is one of the {@code org:sys_*} permissions that manage the organization itself. */
    public boolean isSystem() {
        return value.startsWith("org:sys_");
    }

    @Override
    public String toString() {
        return value;
    }
}
