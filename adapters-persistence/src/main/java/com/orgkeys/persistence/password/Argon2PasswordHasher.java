package com.orgkeys.persistence.password;

import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.domain.account.Password;
import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

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

    /** glibc's mallopt parameter for the size from which malloc maps memory of its own (and unmaps it on free). */
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int MMAP_THRESHOLD_BYTES = 128 * 1024;

    static {
        keepLargeBlocksMapped();
    }

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

    /**
     * Fixes glibc's mmap threshold at its default (128 KiB), which glibc otherwise raises to the size of the
     * largest block freed: after the first hash, each 19 MiB argon2 block would come from a thread's arena and
     * stay in the process when freed (~20 MiB per carrier thread that ever hashed). Fixed, every such block is
     * mapped for its hash and returned to the system after it. Nothing happens off glibc (no mallopt).
     *
     * @return whether glibc took the setting
     */
    static boolean keepLargeBlocksMapped() {
        try {
            Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
            return mallopt.invokeInt(new Object[]{M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES}) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException notGlibc) {
            return false;
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
