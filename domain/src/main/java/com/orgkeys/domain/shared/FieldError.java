package com.orgkeys.domain.shared;

import java.util.Objects;

/**
 * One problem with one named input field, e.g. {@code password: must be 12–256 characters}. Both are shown to the
 * client and often quote what it sent (a mebibyte, perhaps): longer ones are cut, so no answer grows with the input.
 */
public record FieldError(String field, String message) {
    public static final int MAX_FIELD_LENGTH = 200;
    public static final int MAX_MESSAGE_LENGTH = 500;

    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        field = abbreviated(field, MAX_FIELD_LENGTH);
        message = abbreviated(message, MAX_MESSAGE_LENGTH);
    }

    private static String abbreviated(String text, int max) {
        if (text.length() <= max) return text;
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) end--; // never half a character
        return text.substring(0, end) + "…";
    }
}
