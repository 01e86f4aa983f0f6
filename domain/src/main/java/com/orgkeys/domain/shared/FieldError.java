package com.orgkeys.domain.shared;

import java.util.Objects;

/** One problem with one named input field, e.g. {@code password: must be 12–256 characters}. */
public record FieldError(String field, String message) {
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
