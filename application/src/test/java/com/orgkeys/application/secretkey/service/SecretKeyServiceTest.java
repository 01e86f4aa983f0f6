package com.orgkeys.application.secretkey.service;

import com.orgkeys.application.testing.InMemorySecretKeyRepository;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import com.orgkeys.application.testing.MutableClock;
import com.orgkeys.domain.secretkey.SecretKey;
import com.orgkeys.domain.secretkey.SecretKeyId;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretKeyServiceTest {
    final InMemorySecretKeyRepository repository = new InMemorySecretKeyRepository();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final SecretKeyService service = new SecretKeyService(repository,
            new InMemoryTransactionRunner(new InMemoryStore()), clock);

    @Test
    void a_created_key_authenticates_only_with_its_secret_and_only_a_hash_is_kept() {
        var created = service.createSecretKey("cli:ops", "billing");
        assertTrue(created.secret().startsWith("sk_orgkeys_"), created.secret());
        assertEquals(Optional.of(created.key().id()), service.authenticate(created.secret()));
        assertFalse(repository.find(created.key().id()).orElseThrow().toString().contains(created.secret()));
        assertEquals("sk_orgkeys_…" + created.secret().substring(created.secret().length() - 4), created.key().hint());
        assertEquals("cli:ops", created.key().createdBy());
    }

    @Test
    void a_mistyped_secret_or_an_api_key_is_refused_without_a_lookup() {
        String secret = service.createSecretKey("cli:ops", "billing").secret();
        String typo = secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A");
        assertEquals(Optional.empty(), service.authenticate(typo));
        assertEquals(Optional.empty(), service.authenticate("ok_" + secret.substring(11)));
        assertEquals(Optional.empty(), service.authenticate(null));
        assertEquals(0, repository.lookups.get());
    }

    @Test
    void a_bad_name_is_refused_and_nothing_is_stored() {
        assertThrows(InvalidInputException.class, () -> service.createSecretKey("cli:ops", " "));
        assertThrows(InvalidInputException.class, () -> service.createSecretKey("cli:ops", "a\u0000b"));
        assertTrue(repository.all().isEmpty());
    }

    @Test
    void revoking_stops_the_key_at_once_and_again_changes_nothing() {
        service.feedRestored();
        var created = service.createSecretKey("cli:ops", "billing");
        service.authenticate(created.secret()); // remembered now
        SecretKey revoked = service.revokeSecretKey("cli:ops", created.key().id());
        assertTrue(revoked.revoked());
        assertEquals(Optional.of("cli:ops"), revoked.revokedBy());
        assertEquals(Optional.empty(), service.authenticate(created.secret()));
        clock.advance(Duration.ofMinutes(1));
        SecretKey again = service.revokeSecretKey("user:someone", created.key().id());
        assertEquals(revoked.revokedAt(), again.revokedAt());
        assertEquals(Optional.of("cli:ops"), again.revokedBy());
        assertThrows(NotFoundException.class, () -> service.revokeSecretKey("cli:ops", SecretKeyId.random()));
    }

    @Test
    void while_the_feed_is_connected_a_key_is_looked_up_once_and_a_revocation_elsewhere_evicts_it() {
        service.feedRestored();
        var created = service.createSecretKey("cli:ops", "billing");
        for (int i = 0; i < 5; i++) assertTrue(service.authenticate(created.secret()).isPresent());
        assertEquals(1, repository.lookups.get());
        // another process revokes it: its notification evicts the key here
        repository.markRevoked(created.key().revoke("cli:elsewhere", clock.instant()));
        service.keyRevoked(created.key().secretHash());
        assertEquals(Optional.empty(), service.authenticate(created.secret()));
    }

    @Test
    void without_the_feed_every_verification_asks_the_database() {
        var created = service.createSecretKey("cli:ops", "billing");
        service.authenticate(created.secret());
        service.authenticate(created.secret());
        assertEquals(2, repository.lookups.get());
        service.feedRestored();
        service.authenticate(created.secret());
        service.feedInterrupted();
        repository.markRevoked(created.key().revoke("cli:elsewhere", clock.instant())); // a notification missed
        assertEquals(Optional.empty(), service.authenticate(created.secret()));
    }

    @Test
    void keys_are_listed_newest_first_with_revoked_ones() {
        var first = service.createSecretKey("cli:ops", "first");
        clock.advance(Duration.ofSeconds(1));
        var second = service.createSecretKey("cli:ops", "second");
        service.revokeSecretKey("cli:ops", first.key().id());
        assertEquals(List.of(second.key().id(), first.key().id()),
                service.listSecretKeys().stream().map(SecretKey::id).toList());
    }
}
