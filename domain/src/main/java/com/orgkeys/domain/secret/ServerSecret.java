package com.orgkeys.domain.secret;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One version of a server secret: a random key shared by every node through the database. Versions count up
 * from 1; a rotation adds the next one. The key never appears in {@link #toString()}.
 */
public record ServerSecret(SecretPurpose purpose, int version, byte[] key, Instant createdAt) {
    public static final int KEY_BYTES = 32;
    private static final SecureRandom random = new SecureRandom();

    public ServerSecret {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(createdAt, "createdAt");
        if (version < 1) throw new IllegalArgumentException("version must be at least 1");
        if (key == null || key.length < KEY_BYTES) throw new IllegalArgumentException("key must have 32 bytes or more");
        key = key.clone();
    }

    /** A new random key of {@code version}. */
    public static ServerSecret generate(SecretPurpose purpose, int version, Instant now) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return new ServerSecret(purpose, version, key, now);
    }

    /** The version a rotation adds after this one, with a new random key. */
    public ServerSecret next(Instant now) {
        return generate(purpose, version + 1, now);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServerSecret that && purpose == that.purpose && version == that.version
                && Arrays.equals(key, that.key) && createdAt.equals(that.createdAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(purpose, version, createdAt);
    }

    @Override
    public String toString() {
        return "ServerSecret[" + purpose.value() + " v" + version + ", created " + createdAt + "]";
    }
}
