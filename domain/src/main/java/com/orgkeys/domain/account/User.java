package com.orgkeys.domain.account;

import com.orgkeys.domain.shared.Text;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A person who signs in. {@code passwordHash} is an argon2id PHC string; the password itself is never kept.
 * {@code emailVerifiedAt}: when they showed that they read mail at {@code email}.
 */
public record User(UserId id, Email email, String name, String passwordHash, Instant createdAt,
                   Optional<Instant> emailVerifiedAt) {
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        name = Text.singleLine("name", name, 100);
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(emailVerifiedAt, "emailVerifiedAt");
    }

    /** A new account, its email not verified yet. */
    public User(UserId id, Email email, String name, String passwordHash, Instant createdAt) {
        this(id, email, name, passwordHash, createdAt, Optional.empty());
    }

    public boolean emailVerified() {
        return emailVerifiedAt.isPresent();
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", email=" + email + "]";
    }
}
