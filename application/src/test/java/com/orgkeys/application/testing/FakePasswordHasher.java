package com.orgkeys.application.testing;

import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.domain.account.Password;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** Fast stand-in for argon2id in service tests: "fake:" + SHA-256 of the password. Unsalted; tests only. */
public final class FakePasswordHasher implements PasswordHasher {
    private final java.util.concurrent.atomic.AtomicInteger verifications = new java.util.concurrent.atomic.AtomicInteger();

    /** How many passwords were verified: what the throttle let through to the (real: expensive) hash. */
    public int verifications() {
        return verifications.get();
    }

    private final java.util.concurrent.atomic.AtomicInteger hashes = new java.util.concurrent.atomic.AtomicInteger();

    /** How many new passwords were hashed (as expensive as a verification with the real hasher). */
    public int hashes() {
        return hashes.get();
    }

    @Override
    public String hash(Password password) {
        hashes.incrementAndGet();
        char[] chars = password.chars();
        try {
            return digest(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Wipes {@code candidate}, as the real hasher does. */
    @Override
    public boolean verify(String hash, char[] candidate) {
        verifications.incrementAndGet();
        try {
            return MessageDigest.isEqual(hash.getBytes(StandardCharsets.UTF_8),
                    digest(candidate).getBytes(StandardCharsets.UTF_8));
        } finally {
            Arrays.fill(candidate, '\0');
        }
    }

    private static String digest(char[] chars) {
        try {
            var bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
            var sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(bytes);
            return "fake:" + HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
