package com.orgkeys.domain.apikey;

import com.orgkeys.domain.shared.NotFoundException;

import java.util.Objects;
import java.util.UUID;

public record ApiKeyId(UUID value) {
    public ApiKeyId {
        Objects.requireNonNull(value, "value");
    }

    public static ApiKeyId random() {
        return new ApiKeyId(UUID.randomUUID());
    }

    public static ApiKeyId parse(String text) {
        try {
            return new ApiKeyId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new NotFoundException("No API key " + text + ".");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
