package com.orgkeys.domain.membership;

import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Text;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A named set of permissions. The two built-in roles exist in every organization; custom ones per organization. */
public record Role(RoleKey key, String name, Set<Permission> permissions, boolean builtIn, Optional<Instant> createdAt) {
    public static final Role ADMIN = new Role(RoleKey.ADMIN, "Admin", Set.copyOf(Permission.ALL), true, Optional.empty());
    public static final Role MEMBER = new Role(RoleKey.MEMBER, "Member",
            Set.of(Permission.MEMBERSHIPS_READ, Permission.AGENTS_READ, Permission.AGENTS_MANAGE), true, Optional.empty());
    public static final List<Role> BUILT_IN = List.of(ADMIN, MEMBER);

    public Role {
        Objects.requireNonNull(key, "key");
        name = Text.singleLine("name", name, 100);
        permissions = orderedCopy(permissions);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public static Role custom(RoleKey key, String name, Set<Permission> permissions, Instant createdAt) {
        if (key.isBuiltIn()) throw new InvalidInputException("key", key + " is a built-in role");
        return new Role(key, name, permissions, false, Optional.of(createdAt));
    }

    public static Optional<Role> builtIn(RoleKey key) {
        return BUILT_IN.stream().filter(r -> r.key().equals(key)).findFirst();
    }

    public Role update(String newName, Set<Permission> newPermissions) {
        return new Role(key, newName, newPermissions, builtIn, createdAt);
    }

    private static Set<Permission> orderedCopy(Set<Permission> permissions) {
        Objects.requireNonNull(permissions, "permissions");
        Set<Permission> ordered = new LinkedHashSet<>();
        for (Permission p : Permission.ALL) if (permissions.contains(p)) ordered.add(p);
        return java.util.Collections.unmodifiableSet(ordered);
    }
}
