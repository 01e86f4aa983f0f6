package com.orgkeys.domain.membership;

import com.orgkeys.domain.shared.ForbiddenException;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Someone as a giver of permissions: their role in an organization and its permissions at one moment. The rule
 * of every operation that grants: nobody gives a permission they do not hold, nobody takes a role away from
 * someone whose role holds more than they do, and only admins give, change or take away {@code org:admin}.
 * A role one holds can therefore never be widened by oneself: its permissions are all one holds.
 */
public record Grantor(Optional<RoleKey> role, Set<Permission> permissions) {
    /** Not a member: can give nothing. */
    public static final Grantor NOBODY = new Grantor(Optional.empty(), Set.of());

    public Grantor {
        Objects.requireNonNull(role, "role");
        permissions = Set.copyOf(permissions);
    }

    public boolean isAdmin() {
        return role.equals(Optional.of(RoleKey.ADMIN));
    }

    public boolean holds(Permission permission) {
        return permissions.contains(permission);
    }

    /** Those of {@code wanted} this grantor does not hold, in the documented order. */
    public Set<Permission> lacking(Set<Permission> wanted) {
        Set<Permission> lacking = new LinkedHashSet<>();
        for (Permission p : Permission.ALL) if (wanted.contains(p) && !permissions.contains(p)) lacking.add(p);
        return lacking;
    }

    /**
     * Whether this grantor may give {@code role} to someone (by assigning it or inviting at it), and so also take it
     * away from someone who holds it: the same rule.
     */
    public boolean canGive(RoleKey role, Set<Permission> rolePermissions) {
        return (isAdmin() || !role.equals(RoleKey.ADMIN)) && lacking(rolePermissions).isEmpty();
    }

    /** As {@link com.orgkeys.domain.caller.Caller#require}, against what this grantor holds now. */
    public void require(Permission permission) {
        if (!holds(permission)) throw new ForbiddenException("Missing permission " + permission.value() + ".");
    }

    /** Giving permissions directly (to a new role or an API key). */
    public void requireCanGrant(Set<Permission> granted) {
        Set<Permission> lacking = lacking(granted);
        if (!lacking.isEmpty()) {
            throw new ForbiddenException("You cannot grant " + list(lacking) + ": you do not hold "
                    + (lacking.size() == 1 ? "it" : "them") + ".");
        }
    }

    /** Giving someone {@code role}, by assigning it or inviting at it. */
    public void requireCanGive(RoleKey role, Set<Permission> rolePermissions) {
        if (role.equals(RoleKey.ADMIN) && !isAdmin()) {
            throw new ForbiddenException("Only an admin can give the role " + RoleKey.ADMIN + ".");
        }
        requireHoldsAll(rolePermissions, "give the role " + role);
    }

    /** Changing the role of, or removing, a member who holds {@code role}: only who holds all of it may. */
    public void requireCanTakeAway(RoleKey role, Set<Permission> rolePermissions) {
        if (role.equals(RoleKey.ADMIN) && !isAdmin()) {
            throw new ForbiddenException("Only an admin can change or remove an admin.");
        }
        requireHoldsAll(rolePermissions, "change or remove a member with the role " + role);
    }

    /**
     * Editing a role from {@code current} to {@code next}: every permission of both must be held. The new set,
     * because the role grants it to its holders; the current one, because editing (even narrowing or renaming)
     * a role whose holders have more than oneself is taking power from above.
     */
    public void requireCanEdit(Role current, Set<Permission> next) {
        requireCanGrant(next);
        requireHoldsAll(current.permissions(), "change the role " + current.key());
    }

    /**
     * Deleting a role: as editing it, every permission it has must be held (deleting voids pending invitations at
     * it, which is taking away from above).
     */
    public void requireCanDelete(Role role) {
        requireHoldsAll(role.permissions(), "delete the role " + role.key());
    }

    /** Refuses "You cannot {@code what}: it has …, which you do not hold." unless every one of {@code role} is held. */
    private void requireHoldsAll(Set<Permission> role, String what) {
        Set<Permission> lacking = lacking(role);
        if (!lacking.isEmpty()) {
            throw new ForbiddenException("You cannot " + what + ": it has " + list(lacking) + ", which you do not hold.");
        }
    }

    private static String list(Set<Permission> permissions) {
        return permissions.stream().map(Permission::value).collect(Collectors.joining(", "));
    }
}
