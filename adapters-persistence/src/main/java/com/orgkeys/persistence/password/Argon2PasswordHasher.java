package com.orgkeys.persistence.password;

import com.orgkeys.application.account.port.out.PasswordHasher;
import com.orgkeys.domain.account.Password;
import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    /**
     * The hashes run on these platform threads, whoever asks: glibc keeps each thread's freed 19 MiB block for its
     * next hash, so the process holds one block per hashing thread (not one per carrier or request thread that
     * ever hashed), reused without page faults; and a virtual thread waiting here does not pin its carrier for the
     * length of a native call.
     */
    private static final ExecutorService HASHING = Executors.newFixedThreadPool(CONCURRENT_HASHES,
            Thread.ofPlatform().name("argon2-", 0).daemon().factory());

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

    private <T> T bounded(Callable<T> work) {
        Future<T> result = HASHING.submit(work);
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to hash a password", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            if (e.getCause() instanceof Error error) throw error;
            throw new IllegalStateException(e.getCause());
        }
    }
}
