package com.orgkeys.domain.apikey;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.shared.InvalidInputException;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Whom an API key acts as (Clerk's {@code subject}): its organization ({@code user} empty), or one user of that
 * organization. Written {@code organization} or {@code user:<id>} in a list's filter.
 */
public record ApiKeySubject(Optional<UserId> user) {
    public static final ApiKeySubject ORGANIZATION = new ApiKeySubject(Optional.empty());
    private static final String USER_PREFIX = "user:";

    public ApiKeySubject {
        Objects.requireNonNull(user, "user");
    }

    public static ApiKeySubject of(UserId user) {
        return new ApiKeySubject(Optional.of(user));
    }

    /** {@code organization} or {@code user:<id>}; anything else is the client's mistake (422 on {@code field}). */
    public static ApiKeySubject parse(String field, String text) {
        if ("organization".equals(text)) return ORGANIZATION;
        if (text != null && text.startsWith(USER_PREFIX) && text.length() == USER_PREFIX.length() + 36) {
            try {
                return of(new UserId(UUID.fromString(text.substring(USER_PREFIX.length()))));
            } catch (IllegalArgumentException e) {
                // falls through to the one message below
            }
        }
        throw new InvalidInputException(field, "must be organization or user:<user id>");
    }

    /** "organization" or "user". */
    public String type() {
        return user.isPresent() ? "user" : "organization";
    }

    @Override
    public String toString() {
        return user.map(u -> USER_PREFIX + u).orElse("organization");
    }
}
