package com.orgkeys.application.contract;

import com.orgkeys.application.secret.port.out.ServerSecrets;
import com.orgkeys.domain.secret.SecretPurpose;
import com.orgkeys.domain.secret.ServerSecret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link ServerSecrets} does, run against the in-memory fake and against PostgreSQL. */
public abstract class ServerSecretsContract {
    static final SecretPurpose FORMS = SecretPurpose.FORMS;
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z").truncatedTo(ChronoUnit.MICROS);
    protected ServerSecrets secrets;

    /** An empty store. */
    protected abstract ServerSecrets newSecrets();

    @BeforeEach
    final void emptyStore() {
        secrets = newSecrets();
    }

    @Test
    public void the_first_version_is_made_once_and_read_back_unchanged() {
        ServerSecret first = ServerSecret.generate(FORMS, 1, NOW);
        assertTrue(secrets.createFirst(first));
        assertFalse(secrets.createFirst(ServerSecret.generate(FORMS, 1, NOW.plusSeconds(1))));
        assertEquals(List.of(first), secrets.versions(FORMS));
    }

    @Test
    public void no_first_version_is_made_again_once_rotations_deleted_version_1() {
        ServerSecret first = ServerSecret.generate(FORMS, 1, NOW);
        secrets.createFirst(first);
        ServerSecret second = first.next(NOW.plusSeconds(60));
        ServerSecret third = second.next(NOW.plusSeconds(120));
        assertTrue(secrets.add(second));
        assertTrue(secrets.add(third));
        assertEquals(List.of(third, second, first), secrets.versions(FORMS), "newest first");
        assertEquals(1, secrets.deleteOlderThan(FORMS, 2));
        assertFalse(secrets.createFirst(ServerSecret.generate(FORMS, 1, NOW.plusSeconds(180))));
        assertEquals(List.of(third, second), secrets.versions(FORMS));
    }

    @Test
    public void a_version_is_added_only_once() {
        ServerSecret first = ServerSecret.generate(FORMS, 1, NOW);
        secrets.createFirst(first);
        ServerSecret second = first.next(NOW);
        assertTrue(secrets.add(second));
        assertFalse(secrets.add(first.next(NOW)), "a concurrent rotation lost");
        assertEquals(List.of(second, first), secrets.versions(FORMS));
    }

    @Test
    public void nodes_starting_together_make_one_first_version_and_all_read_it() throws Exception {
        int nodes = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> made = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(nodes)) {
            for (int i = 0; i < nodes; i++) {
                made.add(pool.submit(() -> {
                    start.await();
                    return secrets.createFirst(ServerSecret.generate(FORMS, 1, NOW));
                }));
            }
            start.countDown();
            int stored = 0;
            for (var m : made) if (m.get(30, TimeUnit.SECONDS)) stored++;
            assertEquals(1, stored);
        }
        assertEquals(1, secrets.versions(FORMS).size());
    }
}
