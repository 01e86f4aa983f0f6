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

    /**
     * An address someone gives to be stored (a sign-up, an email change, an invitation): besides the shape above, a
     * plain RFC 5321 mailbox, {@code local@domain}, with the local part a dot-atom of RFC 5322's ASCII atext and the
     * domain DNS labels (an internationalized one in its xn-- form). A quoted local part, a comment, a display name or
     * a list ({@code ceo<attacker@evil.example>}, {@code a@b.example(x)}, {@code a@b.example,c}) would be stored as
     * one identity and mailed to another, so that verifying it proves nothing.
     */
    public static Email parse(String text) {
        Email email = new Email(text);
        if (!MAILBOX.matcher(email.value).matches()) throw new InvalidInputException("email", "must be a valid email address");
        return email;
    }

    private static final Pattern MAILBOX = Pattern.compile(
            "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    @Override
    public String toString() {
        return value;
    }
}
