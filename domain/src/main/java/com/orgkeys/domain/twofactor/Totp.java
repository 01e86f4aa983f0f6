package com.orgkeys.domain.twofactor;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA1, 6 digits, 30-second steps
 * from the Unix epoch. A code is accepted for the current step and one step either side (clock drift).
 */
public final class Totp {
    public static final int DIGITS = 6;
    public static final int PERIOD_SECONDS = 30;
    /** Steps accepted either side of the current one. */
    public static final int WINDOW = 1;
    private static final Pattern CODE = Pattern.compile("[0-9]{" + DIGITS + "}");

    private Totp() {
    }

    /** The time step of {@code at}. */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), PERIOD_SECONDS);
    }

    /** Whether {@code text} has the shape of a code (exactly 6 ASCII digits). */
    public static boolean isCodeShaped(String text) {
        return text != null && CODE.matcher(text).matches();
    }

    /** The code of {@code step}, with {@code digits} digits (RFC 4226 dynamic truncation). */
    public static String code(byte[] secret, long step, int digits) {
        byte[] hash = hmacSha1(secret, ByteBuffer.allocate(8).putLong(step).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        long modulus = (long) Math.pow(10, digits);
        return String.format("%0" + digits + "d", binary % modulus);
    }

    static byte[] hmacSha1(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /** The 6-digit code of {@code step}. */
    public static String code(byte[] secret, long step) {
        return code(secret, step, DIGITS);
    }

    /**
     * The step whose code {@code code} is, among the step of {@code now} and {@link #WINDOW} steps either side;
     * empty when none matches (or {@code code} is not 6 digits). Every candidate is compared, in constant time.
     * The caller refuses a step at or before the last one it accepted (a code works once).
     */
    public static OptionalLong verify(byte[] secret, String code, Instant now) {
        if (!isCodeShaped(code)) return OptionalLong.empty();
        byte[] given = code.getBytes(StandardCharsets.US_ASCII);
        long current = step(now);
        long matched = Long.MIN_VALUE;
        for (long step = current - WINDOW; step <= current + WINDOW; step++) {
            boolean equal = MessageDigest.isEqual(given, code(secret, step).getBytes(StandardCharsets.US_ASCII));
            if (equal && matched == Long.MIN_VALUE) matched = step;
        }
        return matched == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(matched);
    }
}
