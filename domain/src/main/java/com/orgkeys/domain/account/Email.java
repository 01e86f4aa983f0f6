package com.orgkeys.domain.account;

import com.orgkeys.domain.shared.InvalidInputException;

import java.util.Locale;
import java.util.regex.Pattern;

/** An email address, normalized (trimmed, lower case) so that uniqueness is case-insensitive. */
public record Email(String value) {
    /** RFC 5321's limit on a forward path, and so on any address that can receive mail. */
    public static final int MAX_LENGTH = 254;
    private static final Pattern SHAPE = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+");

    public Email {
        if (value == null) throw new InvalidInputException("email", "is required");
        value = value.strip();
        if (value.length() > MAX_LENGTH) throw new InvalidInputException("email", "must be a valid email address");
        value = value.toLowerCase(Locale.ROOT);
        if (value.length() > MAX_LENGTH || !SHAPE.matcher(value).matches()) {
            throw new InvalidInputException("email", "must be a valid email address");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
