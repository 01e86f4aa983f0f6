package com.orgkeys.domain.shared;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The shape shared by every bearer secret a program holds (API keys, backend secret keys): a prefix + 43 random
 * base62 characters (≥ 256 bits from {@link SecureRandom}) + a 6-character base62 CRC32 of everything before it.
 * The checksum lets a typo be refused without a query and lets secret scanners tell real secrets from look-alikes.
 */
public final class ChecksummedSecret {
    public static final int RANDOM_LENGTH = 43;
    public static final int CHECKSUM_LENGTH = 6;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom random = new SecureRandom();

    private ChecksummedSecret() {
    }

    public static int length(String prefix) {
        return prefix.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    }

    public static String generate(String prefix) {
        StringBuilder body = new StringBuilder(length(prefix)).append(prefix);
        for (int i = 0; i < RANDOM_LENGTH; i++) body.append(BASE62.charAt(random.nextInt(62)));
        return body.append(checksum(body)).toString();
    }

    /** Whether {@code text} has the shape and a matching checksum. Pure computation. */
    public static boolean isValid(String prefix, String text) {
        if (!hasShape(prefix, text)) return false;
        int length = length(prefix);
        return checksum(text.substring(0, length - CHECKSUM_LENGTH)).equals(text.substring(length - CHECKSUM_LENGTH));
    }

    /** Whether {@code text} is shaped like such a secret (prefix, length, base62), whatever its checksum. */
    public static boolean hasShape(String prefix, String text) {
        int length = length(prefix);
        if (text == null || text.length() != length || !text.startsWith(prefix)) return false;
        for (int i = prefix.length(); i < length; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) return false;
        }
        return true;
    }

    /** The hex SHA-256 under which a secret is stored and looked up. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A non-secret reminder for lists: the prefix and the last four characters. */
    public static String hint(String prefix, String secret) {
        return prefix + "…" + secret.substring(secret.length() - 4);
    }

    public static String checksum(CharSequence body) {
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
