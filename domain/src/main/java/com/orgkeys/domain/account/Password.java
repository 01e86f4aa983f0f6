package com.orgkeys.domain.account;

import com.orgkeys.domain.shared.InvalidInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A new password that meets the policy: 12–256 characters and not one of the common passwords shipped in
 * {@code common-passwords.txt} (NCSC/SecLists top passwords of 12+ characters). Never printed.
 */
public final class Password {
    private static final Set<String> COMMON = load();
    private final char[] value;

    private Password(char[] value) {
        this.value = value;
    }

    public static Password choose(String value) {
        if (value == null) throw new InvalidInputException("password", "is required");
        int length = value.codePointCount(0, value.length());
        if (length < 12 || length > 256) throw new InvalidInputException("password", "must be 12–256 characters");
        if (COMMON.contains(value.toLowerCase(Locale.ROOT))) {
            throw new InvalidInputException("password", "is too common; choose one that is hard to guess");
        }
        return new Password(value.toCharArray());
    }

    public char[] chars() {
        return value.clone();
    }

    @Override
    public String toString() {
        return "Password[***]";
    }

    private static Set<String> load() {
        var stream = Password.class.getResourceAsStream("common-passwords.txt");
        if (stream == null) throw new IllegalStateException("common-passwords.txt missing from the class path");
        try (var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            return reader.lines().map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#"))
                    .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
