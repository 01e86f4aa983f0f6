package com.orgkeys.domain.accounttoken;

import java.util.Objects;
import java.util.UUID;

public record AccountTokenId(UUID value) {
    public AccountTokenId {
        Objects.requireNonNull(value, "value");
    }

    public static AccountTokenId random() {
        return new AccountTokenId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
