package com.orgkeys.application.contract;

import com.orgkeys.application.sessiontoken.port.out.SigningKeyRepository;
import com.orgkeys.domain.sessiontoken.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link SigningKeyRepository} does, run against the in-memory fake and against PostgreSQL. */
public abstract class SigningKeyRepositoryContract {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z").truncatedTo(ChronoUnit.MICROS);
    protected SigningKeyRepository keys;

    /** An empty store. */
    protected abstract SigningKeyRepository newRepository();

    @BeforeEach
    final void emptyStore() {
        keys = newRepository();
    }

    static SigningKey key(int generation, String kid, Instant signsFrom) {
        return new SigningKey(generation, kid, ("public " + kid).getBytes(),
                Optional.of(new SigningKey.SealedPrivateKey(3, ("sealed " + kid).getBytes())), NOW, signsFrom, "cli");
    }

    @Test
    public void a_key_is_read_back_as_stored() {
        SigningKey stored = key(1, "kid-1", NOW.plusSeconds(600));
        assertTrue(keys.add(stored));
        SigningKey read = keys.all().getFirst();
        assertEquals(stored, read);
        assertArrayEquals(stored.publicKey(), read.publicKey());
        assertEquals(3, read.privateKey().orElseThrow().serverSecretVersion());
        assertArrayEquals(stored.privateKey().orElseThrow().ciphertext(), read.privateKey().orElseThrow().ciphertext());
        assertEquals(NOW, read.createdAt());
        assertEquals(NOW.plusSeconds(600), read.signsFrom());
        assertEquals("cli", read.createdBy());
    }

    @Test
    public void a_generation_or_a_kid_is_stored_once() {
        assertTrue(keys.add(key(1, "kid-1", NOW)));
        assertFalse(keys.add(key(1, "kid-other", NOW)), "the generation is taken");
        assertFalse(keys.add(key(2, "kid-1", NOW)), "the kid is taken");
        assertEquals(List.of("kid-1"), keys.all().stream().map(SigningKey::kid).toList());
    }

    @Test
    public void keys_are_listed_newest_generation_first() {
        keys.add(key(2, "kid-2", NOW));
        keys.add(key(1, "kid-1", NOW));
        keys.add(key(3, "kid-3", NOW));
        assertEquals(List.of(3, 2, 1), keys.all().stream().map(SigningKey::generation).toList());
    }

    @Test
    public void forgetting_private_keys_keeps_the_rows_and_the_newer_private_keys() {
        keys.add(key(1, "kid-1", NOW));
        keys.add(key(2, "kid-2", NOW));
        keys.add(key(3, "kid-3", NOW));
        assertEquals(2, keys.forgetPrivateKeysBelow(3));
        assertEquals(0, keys.forgetPrivateKeysBelow(3), "nothing left to forget");
        List<SigningKey> all = keys.all();
        assertEquals(3, all.size(), "the rows stay, as the record of the rotations");
        assertTrue(all.get(0).privateKey().isPresent());
        assertFalse(all.get(1).privateKey().isPresent());
        assertFalse(all.get(2).privateKey().isPresent());
        assertArrayEquals("public kid-1".getBytes(), all.get(2).publicKey(), "the public key stays");
    }

    @Test
    public void of_many_adding_the_same_generation_at_once_one_wins() throws Exception {
        int writers = 8;
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(writers)) {
            List<Future<Boolean>> added = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String kid = "kid-" + i;
                added.add(pool.submit(() -> {
                    start.await();
                    return keys.add(key(1, kid, NOW));
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : added) if (f.get(30, TimeUnit.SECONDS)) wins++;
            assertEquals(1, wins);
        }
        assertEquals(1, keys.all().size());
    }
}
