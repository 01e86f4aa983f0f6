package com.orgkeys.domain.secretkey;

import java.util.Objects;
import java.util.UUID;

public record SecretKeyId(UUID value) {
    public SecretKeyId {
        Objects.requireNonNull(value, "value");
    }

    public static SecretKeyId random() {
        return new SecretKeyId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
