package com.orgkeys.domain.membership;

import com.orgkeys.domain.shared.InvalidInputException;

import java.util.regex.Pattern;

/** A role's key, {@code org:<name>}: {@code org:admin}, {@code org:member}, or a custom one like {@code org:billing}. */
public record RoleKey(String value) {
    private static final Pattern SHAPE = Pattern.compile("org:[a-z][a-z0-9_]{0,39}");
    public static final RoleKey ADMIN = new RoleKey("org:admin");
    public static final RoleKey MEMBER = new RoleKey("org:member");

    public RoleKey {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new InvalidInputException("role", "must look like org:<name> with a–z, 0–9 and _ (at most 40)");
        }
    }

    public boolean isBuiltIn() {
        return equals(ADMIN) || equals(MEMBER);
    }

    @Override
    public String toString() {
        return value;
    }
}
