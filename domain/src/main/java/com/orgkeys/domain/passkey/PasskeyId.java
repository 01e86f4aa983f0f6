package com.orgkeys.domain.passkey;

import java.util.Objects;
import java.util.UUID;

public record PasskeyId(UUID value) {
    public PasskeyId {
        Objects.requireNonNull(value, "value");
    }

    public static PasskeyId random() {
        return new PasskeyId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
