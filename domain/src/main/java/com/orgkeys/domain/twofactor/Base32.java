package com.orgkeys.domain.twofactor;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** RFC 4648 base32 (alphabet A–Z, 2–7) without padding, as authenticator apps read TOTP secrets. */
public final class Base32 {
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Base32() {
    }

    public static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        return out.toString();
    }

    /** Decodes unpadded (or '='-padded) base32, case-insensitively. */
    public static byte[] decode(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        while (s.endsWith("=")) s = s.substring(0, s.length() - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < s.length(); i++) {
            int value = ALPHABET.indexOf(s.charAt(i));
            if (value < 0) throw new IllegalArgumentException("not base32");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
