package com.orgkeys.domain.account;

import com.orgkeys.domain.shared.InvalidInputException;

import java.util.Locale;
import java.util.regex.Pattern;

/** An email address, normalized (trimmed, lower case) so that uniqueness is case-insensitive. */
public record Email(String value) {
    private static final Pattern SHAPE = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+");

    public Email {
        if (value == null) throw new InvalidInputException("email", "is required");
        value = value.strip().toLowerCase(Locale.ROOT);
        if (value.length() > 254 || !SHAPE.matcher(value).matches()) {
            throw new InvalidInputException("email", "must be a valid email address");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
