package com.orgkeys.domain.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * An API key secret: {@code ok_} + 43 random base62 characters (≥ 256 bits from {@link SecureRandom}) + a
 * 6-character base62 CRC32 of everything before it. The checksum lets a typo or a truncated paste be
 * rejected without touching the database, and lets secret scanners tell real keys from look-alikes:
 * {@code \bok_[0-9A-Za-z]{49}\b}. Only {@link #hash()} is ever stored.
 */
public final class ApiKeySecret {
    public static final String PREFIX = "ok_";
    static final int RANDOM_LENGTH = 43;
    static final int CHECKSUM_LENGTH = 6;
    public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    public static final Pattern SCANNER_REGEX = Pattern.compile("\\bok_[0-9A-Za-z]{49}\\b");
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom random = new SecureRandom();

    private final String value;

    private ApiKeySecret(String value) {
        this.value = value;
    }

    public static ApiKeySecret generate() {
        StringBuilder body = new StringBuilder(LENGTH).append(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) body.append(BASE62.charAt(random.nextInt(62)));
        return new ApiKeySecret(body.append(checksum(body)).toString());
    }

    /** The secret if {@code text} has the right shape and checksum; empty otherwise. Pure computation. */
    public static Optional<ApiKeySecret> parse(String text) {
        if (!hasShape(text)) return Optional.empty();
        String body = text.substring(0, LENGTH - CHECKSUM_LENGTH);
        if (!checksum(body).equals(text.substring(LENGTH - CHECKSUM_LENGTH))) return Optional.empty();
        return Optional.of(new ApiKeySecret(text));
    }

    /** Whether {@code text} is shaped like a secret (prefix, length, base62), whatever its checksum. */
    public static boolean hasShape(String text) {
        if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) return false;
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) return false;
        }
        return true;
    }

    /** The hex SHA-256 under which the key is stored and looked up. */
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A non-secret reminder for lists: the prefix and the last four characters. */
    public String hint() {
        return PREFIX + "…" + value.substring(LENGTH - 4);
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
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
        long n = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (n % 62));
            n /= 62;
        }
        return new String(out);
    }
}
