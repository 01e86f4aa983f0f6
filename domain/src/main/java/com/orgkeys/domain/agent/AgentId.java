package com.orgkeys.domain.agent;

import com.orgkeys.domain.shared.InvalidInputException;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** An agent's id, unique within its organization: chosen by the client or generated ({@code agt_…}). */
public record AgentId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom random = new SecureRandom();

    public AgentId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new InvalidInputException("id", "must be 1–64 characters of A–Z, a–z, 0–9, '_' and '-'");
        }
    }

    public static AgentId generate() {
        // 22 uniform base62 digits (131 bits) from as few calls into the shared, locked SecureRandom as possible:
        // 6 random bits per byte, values 62 and 63 skipped, so 32 bytes nearly always suffice
        char[] digits = new char[22];
        byte[] bytes = new byte[32];
        for (int n = 0; n < digits.length; ) {
            random.nextBytes(bytes);
            for (int i = 0; i < bytes.length && n < digits.length; i++) {
                int sixBits = bytes[i] & 63;
                if (sixBits < ALPHABET.length()) digits[n++] = ALPHABET.charAt(sixBits);
            }
        }
        return new AgentId("agt_" + new String(digits));
    }

    @Override
    public String toString() {
        return value;
    }
}
