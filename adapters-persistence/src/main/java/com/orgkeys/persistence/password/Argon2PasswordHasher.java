package com.orgkeys.persistence.password;

import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.domain.account.Password;
import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's minimum: 19 MiB of memory, 2 iterations, 1 lane.
 * The parameters travel in the PHC string, so raising them later still verifies old hashes.
 */
public final class Argon2PasswordHasher implements PasswordHasher {
    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;

    private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);
    /**
     * At most half the cores hash at a time: each hash takes ~19 MiB and a core for tens of milliseconds, so a
     * flood of sign-ins queues here (fairly, first come first served) and the other half of the machine keeps
     * serving API-key traffic (benchmark scenario 8).
     */
    static final int CONCURRENT_HASHES = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private final Semaphore permits = new Semaphore(CONCURRENT_HASHES, true);

    @Override
    public String hash(Password password) {
        char[] chars = password.chars();
        try {
            return bounded(() -> argon2.hash(ITERATIONS, MEMORY_KIB, PARALLELISM, chars));
        } finally {
            argon2.wipeArray(chars);
        }
    }

    /** Wipes {@code candidate} when done: the caller hands it over and must not use it again. */
    @Override
    public boolean verify(String hash, char[] candidate) {
        try {
            return bounded(() -> argon2.verify(hash, candidate));
        } finally {
            argon2.wipeArray(candidate);
        }
    }

    private <T> T bounded(Supplier<T> work) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to hash a password", e);
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }
}
