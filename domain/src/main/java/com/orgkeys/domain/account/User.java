package com.orgkeys.domain.account;

import com.orgkeys.domain.shared.Text;

import java.time.Instant;
import java.util.Objects;

/** A person who signs in. {@code passwordHash} is an argon2id PHC string; the password itself is never kept. */
public record User(UserId id, Email email, String name, String passwordHash, Instant createdAt) {
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        name = Text.singleLine("name", name, 100);
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", email=" + email + "]";
    }
}
