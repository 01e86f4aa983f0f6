package com.orgkeys.application.contract;

import com.orgkeys.application.secretkey.port.out.SecretKeyRepository;
import com.orgkeys.domain.secretkey.SecretKey;
import com.orgkeys.domain.secretkey.SecretKeyId;
import com.orgkeys.domain.secretkey.SecretKeySecret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link SecretKeyRepository} does, run against the in-memory fake and against PostgreSQL. */
public abstract class SecretKeyRepositoryContract {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z").truncatedTo(ChronoUnit.MICROS);
    protected SecretKeyRepository keys;

    /** An empty store. */
    protected abstract SecretKeyRepository newRepository();

    @BeforeEach
    final void emptyStore() {
        keys = newRepository();
    }

    static SecretKey key(String name, Instant createdAt) {
        SecretKeySecret secret = SecretKeySecret.generate();
        return new SecretKey(SecretKeyId.random(), name, secret.hash(), secret.hint(), "cli:test", createdAt,
                Optional.empty(), Optional.empty());
    }

    @Test
    public void a_key_reads_back_unchanged_by_id_and_by_hash() {
        SecretKey key = key("billing", NOW);
        keys.insert(key);
        assertEquals(Optional.of(key), keys.find(key.id()));
        assertEquals(Optional.of(key), keys.findByHash(key.secretHash()));
        assertEquals(Optional.empty(), keys.find(SecretKeyId.random()));
        assertEquals(Optional.empty(), keys.findByHash(SecretKeySecret.generate().hash()));
    }

    @Test
    public void all_lists_newest_first() {
        SecretKey older = key("older", NOW);
        SecretKey newer = key("newer", NOW.plusSeconds(1));
        keys.insert(older);
        keys.insert(newer);
        assertEquals(List.of(newer, older), keys.all());
    }

    @Test
    public void a_revocation_is_stored_once_and_the_first_stands() {
        SecretKey key = key("billing", NOW);
        keys.insert(key);
        SecretKey revoked = key.revoke("cli:first", NOW.plusSeconds(5));
        assertTrue(keys.markRevoked(revoked));
        assertFalse(keys.markRevoked(key.revoke("cli:second", NOW.plusSeconds(9))));
        assertEquals(Optional.of(revoked), keys.find(key.id()));
        assertEquals(Optional.of(revoked), keys.findByHash(key.secretHash()));
    }
}
