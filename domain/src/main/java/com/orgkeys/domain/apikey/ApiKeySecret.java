package com.orgkeys.domain.apikey;

import com.orgkeys.domain.shared.ChecksummedSecret;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API key secret: {@code ok_} + a {@link ChecksummedSecret} (43 random base62 characters + a
 * 6-character base62 CRC32 of everything before it). The checksum lets a typo or a truncated paste be
 * rejected without touching the database, and lets secret scanners tell real keys from look-alikes:
 * {@code \bok_[0-9A-Za-z]{49}\b}. Only {@link #hash()} is ever stored.
 */
public final class ApiKeySecret {
    public static final String PREFIX = "ok_";
    static final int RANDOM_LENGTH = ChecksummedSecret.RANDOM_LENGTH;
    static final int CHECKSUM_LENGTH = ChecksummedSecret.CHECKSUM_LENGTH;
    public static final int LENGTH = ChecksummedSecret.length(PREFIX);
    public static final Pattern SCANNER_REGEX = Pattern.compile("\\bok_[0-9A-Za-z]{49}\\b");

    private final String value;

    private ApiKeySecret(String value) {
        this.value = value;
    }

    public static ApiKeySecret generate() {
        return new ApiKeySecret(ChecksummedSecret.generate(PREFIX));
    }

    /** The secret if {@code text} has the right shape and checksum; empty otherwise. Pure computation. */
    public static Optional<ApiKeySecret> parse(String text) {
        return ChecksummedSecret.isValid(PREFIX, text) ? Optional.of(new ApiKeySecret(text)) : Optional.empty();
    }

    /** Whether {@code text} is shaped like a secret (prefix, length, base62), whatever its checksum. */
    public static boolean hasShape(String text) {
        return ChecksummedSecret.hasShape(PREFIX, text);
    }

    /** The hex SHA-256 under which the key is stored and looked up. */
    public String hash() {
        return ChecksummedSecret.hash(value);
    }

    /** A non-secret reminder for lists: the prefix and the last four characters. */
    public String hint() {
        return ChecksummedSecret.hint(PREFIX, value);
    }

    /** The secret itself: only for the one response that shows it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "ApiKeySecret[" + hint() + "]";
    }

    static String checksum(CharSequence body) {
        return ChecksummedSecret.checksum(body);
    }
}
