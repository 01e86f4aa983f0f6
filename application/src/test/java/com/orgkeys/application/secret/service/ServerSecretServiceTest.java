package com.orgkeys.application.secret.service;

import com.orgkeys.application.testing.InMemoryServerSecrets;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import com.orgkeys.application.testing.MutableClock;
import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerSecretServiceTest {
    static final SecretPurpose FORMS = SecretPurpose.FORMS;
    final InMemoryServerSecrets store = new InMemoryServerSecrets();
    final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    final AtomicLong nanos = new AtomicLong();

    ServerSecretService node() {
        return new ServerSecretService(store, new InMemoryTransactionRunner(new InMemoryStore()), clock, nanos::get);
    }

    @Test
    void the_first_node_makes_the_key_and_the_next_ones_read_it() {
        ServerSecretService a = node();
        ServerSecretService b = node();
        assertEquals(1, a.currentSecret(FORMS).version());
        assertArrayEquals(a.currentSecret(FORMS).key(), b.currentSecret(FORMS).key());
    }

    @Test
    void a_node_that_has_not_seen_a_rotation_verifies_the_new_version_and_the_previous_one_still_verifies() {
        ServerSecretService a = node();
        ServerSecretService b = node();
        ServerSecret first = a.currentSecret(FORMS);

        ServerSecret second = a.rotateSecrets().getFirst();
        assertEquals(second, a.currentSecret(FORMS), "the rotating node signs with the new version at once");
        assertEquals(first, b.currentSecret(FORMS), "the other has not reloaded yet");
        assertEquals(Optional.of(second), b.secret(FORMS, 2), "so it reloads when it meets version 2");
        assertEquals(second, b.currentSecret(FORMS));
        assertEquals(Optional.of(first), b.secret(FORMS, 1), "the previous version still verifies");

        a.rotateSecrets();
        b.reload();
        assertEquals(Optional.empty(), b.secret(FORMS, 1), "two rotations ago: deleted");
        assertEquals(2, store.versions(FORMS).size());
    }

    @Test
    void rotations_keep_every_version_of_the_two_factor_key_which_encrypts_data_at_rest() {
        ServerSecretService a = node();
        ServerSecretService b = node();
        ServerSecret first = a.currentSecret(SecretPurpose.TWO_FACTOR);
        a.rotateSecrets();
        a.rotateSecrets();
        a.rotateSecrets();
        b.reload();

        assertEquals(4, b.currentSecret(SecretPurpose.TWO_FACTOR).version());
        assertEquals(Optional.of(first), b.secret(SecretPurpose.TWO_FACTOR, 1), "three rotations ago: still there");
        assertEquals(4, store.versions(SecretPurpose.TWO_FACTOR).size());
        assertEquals(2, store.versions(FORMS).size(), "the form key's old versions still go");
    }

    @Test
    void made_up_versions_cost_at_most_a_few_reads_a_second_and_older_ones_none() {
        ServerSecretService a = node();
        int reads = store.reads.get();
        assertEquals(Optional.empty(), a.secret(FORMS, 0));
        assertEquals(Optional.empty(), a.secret(FORMS, -5));
        assertEquals(reads, store.reads.get(), "older than the current version: never a read");

        for (int i = 0; i < 100; i++) assertEquals(Optional.empty(), a.secret(FORMS, 1000 + i));
        int perReload = SecretPurpose.values().length; // a reload reads each purpose's versions
        assertEquals(reads + perReload, store.reads.get(), "one reload for a hundred made-up versions at one moment");
        nanos.addAndGet(ServerSecretService.MIN_RELOAD_INTERVAL.toNanos());
        assertEquals(Optional.empty(), a.secret(FORMS, 7));
        assertEquals(reads + 2 * perReload, store.reads.get());
    }

    @Test
    void the_key_never_appears_in_the_text_of_a_secret() {
        ServerSecret secret = ServerSecret.generate(FORMS, 3, clock.instant());
        String text = secret.toString();
        assertTrue(text.contains("v3"), text);
        assertTrue(!text.contains(java.util.Arrays.toString(secret.key())) && !text.contains("key="), text);
    }
}
