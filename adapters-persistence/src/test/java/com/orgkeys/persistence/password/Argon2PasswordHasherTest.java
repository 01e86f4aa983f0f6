package com.orgkeys.persistence.password;

import com.orgkeys.domain.account.Password;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Argon2PasswordHasherTest {
    final Argon2PasswordHasher hasher = new Argon2PasswordHasher();

    @Test
    void hash_is_an_argon2id_phc_string_with_the_owasp_minimum_parameters() {
        String hash = hasher.hash(Password.choose("correct horse battery staple"));

        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
    }

    @Test
    void the_right_password_verifies_and_a_wrong_one_does_not() {
        String hash = hasher.hash(Password.choose("correct horse battery staple"));

        assertTrue(hasher.verify(hash, "correct horse battery staple".toCharArray()));
        assertFalse(hasher.verify(hash, "correct horse battery stapler".toCharArray()));
    }

    @Test
    void hashes_asked_for_on_many_threads_leave_no_19_mib_block_per_thread_behind() throws Exception {
        String hash = hasher.hash(Password.choose("correct horse battery staple")); // loaded, and warmed up
        long before = residentKib();
        for (int i = 0; i < 6; i++) { // one platform thread each: glibc gives each its own arena
            Thread thread = Thread.ofPlatform().start(() -> hasher.verify(hash, "wrong".toCharArray()));
            thread.join();
        }
        long grown = residentKib() - before;
        // hashed on the callers' own threads, each thread's glibc arena kept its 19 MiB block: ~114 MiB
        assertTrue(grown < 24 * 1024, "resident memory grew by " + grown / 1024 + " MiB over 6 hashes");
    }

    private static long residentKib() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
        String[] parts = line.trim().split("\\s+");
        assertEquals("kB", parts[2]);
        return Long.parseLong(parts[1]);
    }

    @Test
    void the_same_password_hashes_differently_each_time() {
        Password password = Password.choose("correct horse battery staple");

        assertNotEquals(hasher.hash(password), hasher.hash(password));
    }

    @Test
    void the_candidate_is_wiped_after_verification() {
        String hash = hasher.hash(Password.choose("correct horse battery staple"));
        char[] candidate = "correct horse battery staple".toCharArray();

        hasher.verify(hash, candidate);

        assertArrayEquals(new char[candidate.length], candidate);
    }
}
