package com.orgkeys.application.sessiontoken.service;

import com.orgkeys.application.secret.service.ServerSecretService;
import com.orgkeys.application.sessiontoken.port.out.JwtSigner;
import com.orgkeys.application.testing.FakeSecretCipher;
import com.orgkeys.application.testing.InMemorySigningKeyRepository;
import com.orgkeys.application.testing.InMemoryServerSecrets;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryUserRepository;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import com.orgkeys.application.testing.MutableClock;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.sessiontoken.SigningKey;
import com.orgkeys.domain.shared.ConflictException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key lifecycle of session tokens over the in-memory store, with a signer that only writes down what it was asked
 * (the real RS256 signing is checked over HTTP with an independent library).
 */
class SessionTokenServiceTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** "kid|private key|claims": enough to see which key signed what, and that the private key opened. */
    static final class WritingSigner implements JwtSigner {
        @Override
        public GeneratedKey generate() {
            String kid = UUID.randomUUID().toString();
            return new GeneratedKey(kid, ("public " + kid).getBytes(StandardCharsets.UTF_8),
                    ("private " + kid).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String sign(String kid, byte[] privateKey, Map<String, Object> claims) {
            return kid + "|" + new String(privateKey, StandardCharsets.UTF_8) + "|" + claims;
        }

        @Override
        public Map<String, Object> publicJwk(String kid, byte[] publicKey) {
            return Map.of("kid", kid);
        }
    }

    final MutableClock clock = new MutableClock(START);
    final InMemorySigningKeyRepository store = new InMemorySigningKeyRepository();
    final ServerSecretService secrets = new ServerSecretService(new InMemoryServerSecrets(),
            new InMemoryTransactionRunner(new InMemoryStore()), clock);
    final InMemoryUserRepository users = new InMemoryUserRepository(new InMemoryStore());

    SessionTokenService node() {
        return new SessionTokenService(store, new WritingSigner(), secrets, new FakeSecretCipher(), users, clock,
                URI.create("https://orgkeys.test/"));
    }

    static final UserCaller ADMIN = new UserCaller(new UserId(UUID.randomUUID()), SessionId.random(),
            Optional.of(new OrganizationId(UUID.randomUUID())), Optional.of(RoleKey.ADMIN),
            Set.of(Permission.ALL.getFirst()), "203.0.113.9");

    static String kid(String token) {
        return token.substring(0, token.indexOf('|'));
    }

    static List<String> jwks(SessionTokenService node) {
        return node.publicJwks().stream().map(k -> (String) k.get("kid")).toList();
    }

    @Test
    void the_first_token_makes_the_first_key_which_signs_at_once() {
        var node = node();
        var token = node.issue(ADMIN);
        SigningKey first = store.all().getFirst();
        assertEquals(1, first.generation());
        assertEquals("first-use", first.createdBy());
        assertTrue(token.jwt().startsWith(first.kid() + "|private " + first.kid() + "|"), "signed with the opened key");
        assertEquals(START.plusSeconds(60), token.expiresAt());
        assertEquals(List.of(first.kid()), jwks(node));
    }

    @Test
    void claims_say_who_where_and_for_how_long() {
        var claims = node().claims(ADMIN, START, START.plusSeconds(60), Map.of("plan", "pro"));
        assertEquals("https://orgkeys.test", claims.get("iss"), "the origin, without a trailing slash");
        assertEquals(Map.of("plan", "pro"), claims.get("public_metadata"));
        assertEquals(ADMIN.userId().toString(), claims.get("sub"));
        assertEquals(ADMIN.sessionId().toString(), claims.get("sid"));
        assertEquals(START.getEpochSecond(), claims.get("iat"));
        assertEquals(START.getEpochSecond(), claims.get("nbf"));
        assertEquals(START.getEpochSecond() + 60, claims.get("exp"));
        assertEquals(ADMIN.organizationId().orElseThrow().toString(), claims.get("org_id"));
        assertEquals("org:admin", claims.get("org_role"));
        assertEquals(List.of(Permission.ALL.getFirst().value()), claims.get("org_permissions"));
    }

    @Test
    void no_organization_claims_without_one_or_while_it_holds_the_user_back() {
        var noOrganization = new UserCaller(ADMIN.userId(), ADMIN.sessionId(), Optional.empty(), Optional.empty(),
                Set.of(), "");
        var heldBack = new UserCaller(ADMIN.userId(), ADMIN.sessionId(), ADMIN.organizationId(), ADMIN.role(),
                ADMIN.permissions(), "", true);
        for (var caller : List.of(noOrganization, heldBack)) {
            var claims = node().claims(caller, START, START.plusSeconds(60), Map.of());
            assertFalse(claims.containsKey("org_id") || claims.containsKey("org_role")
                    || claims.containsKey("org_permissions"), claims.toString());
        }
    }

    @Test
    void a_rotated_key_is_published_before_it_signs_and_the_old_one_until_its_tokens_expired() {
        var node = node();
        String oldKid = kid(node.issue(ADMIN).jwt());
        SigningKey next = node.rotateSigningKeys("cli");
        assertEquals(2, next.generation());
        assertEquals(START.plus(SessionTokenService.PUBLISH_AHEAD), next.signsFrom());
        assertEquals(List.of(next.kid(), oldKid), jwks(node), "published at once");
        assertEquals(oldKid, kid(node.issue(ADMIN).jwt()), "the old key signs until the new one's time");

        clock.advance(SessionTokenService.PUBLISH_AHEAD);
        assertEquals(next.kid(), kid(node.issue(ADMIN).jwt()));
        assertEquals(List.of(next.kid(), oldKid), jwks(node), "the old key's last tokens are still valid");
        assertFalse(store.all().getLast().privateKey().isPresent(), "a key that no longer signs loses its private part");

        clock.advance(SessionTokenService.TOKEN_LIFETIME.plus(SessionTokenService.RETIRED_KEY_GRACE).minusSeconds(1));
        assertEquals(List.of(next.kid(), oldKid), jwks(node));
        clock.advance(Duration.ofSeconds(61)); // past the reload interval too
        assertEquals(List.of(next.kid()), jwks(node), "every token the old key signed has expired");
        assertEquals(2, store.all().size(), "its row stays, as the record of the rotation");
    }

    @Test
    void another_node_signs_with_a_rotation_within_a_minute_of_its_time() {
        var a = node();
        var b = node();
        String first = kid(b.issue(ADMIN).jwt());
        SigningKey next = a.rotateSigningKeys("cli");
        clock.advance(SessionTokenService.PUBLISH_AHEAD); // b's list is older than the reload interval by now
        assertNotEquals(first, next.kid());
        assertEquals(next.kid(), kid(b.issue(ADMIN).jwt()));
    }

    @Test
    void a_node_adds_the_next_key_when_the_newest_is_older_than_the_rotation_period() {
        var node = node();
        node.issue(ADMIN);
        clock.advance(SessionTokenService.ROTATION_PERIOD);
        node.issue(ADMIN);
        List<SigningKey> keys = store.all();
        assertEquals(2, keys.size());
        assertEquals("automatic:age", keys.getFirst().createdBy());
        assertEquals(clock.instant().plus(SessionTokenService.PUBLISH_AHEAD), keys.getFirst().signsFrom());
        clock.advance(Duration.ofMinutes(5));
        node.issue(ADMIN);
        assertEquals(2, store.all().size(), "one rotation per period");
    }

    @Test
    void nodes_needing_the_first_key_at_once_end_with_one() throws Exception {
        int nodes = 6;
        var start = new CountDownLatch(1);
        List<String> kids = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(nodes)) {
            List<Future<String>> issued = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                var node = node();
                issued.add(pool.submit(() -> {
                    start.await();
                    return kid(node.issue(ADMIN).jwt());
                }));
            }
            start.countDown();
            for (Future<String> f : issued) kids.add(f.get(30, TimeUnit.SECONDS));
        }
        assertEquals(1, store.all().size());
        assertEquals(Set.of(store.all().getFirst().kid()), Set.copyOf(kids), "every node signs with the one key");
    }

    @Test
    void a_rotation_racing_another_changes_nothing_and_says_so() {
        var node = node();
        node.issue(ADMIN);
        SigningKey racer = store.all().getFirst();
        // another rotation stores generation 2 between this one's read and write: simulated by a store that
        // refuses the write, as the primary key does
        var refusing = new com.orgkeys.application.sessiontoken.port.out.SigningKeyRepository() {
            @Override
            public boolean add(SigningKey key) {
                return false;
            }

            @Override
            public List<SigningKey> all() {
                return List.of(racer);
            }

            @Override
            public int forgetPrivateKeysBelow(int generation) {
                return 0;
            }
        };
        var other = new SessionTokenService(refusing, new WritingSigner(), secrets, new FakeSecretCipher(), users, clock,
                URI.create("https://orgkeys.test"));
        assertThrows(ConflictException.class, () -> other.rotateSigningKeys("cli"));
        assertEquals(1, store.all().size());
    }

    @Test
    void a_sealed_private_key_names_its_secret_version_and_is_not_the_plain_key() {
        node().issue(ADMIN);
        SigningKey key = store.all().getFirst();
        var sealed = key.privateKey().orElseThrow();
        assertEquals(secrets.currentSecret(com.orgkeys.domain.secret.SecretPurpose.SIGNING_KEYS).version(),
                sealed.serverSecretVersion());
        assertFalse(Arrays.equals(("private " + key.kid()).getBytes(StandardCharsets.UTF_8), sealed.ciphertext()));
    }

    @Test
    void with_the_database_away_a_node_signs_with_the_keys_it_holds() {
        var failing = new java.util.concurrent.atomic.AtomicBoolean();
        var flaky = new com.orgkeys.application.sessiontoken.port.out.SigningKeyRepository() {
            @Override
            public boolean add(SigningKey key) {
                if (failing.get()) throw new IllegalStateException("database away");
                return store.add(key);
            }

            @Override
            public List<SigningKey> all() {
                if (failing.get()) throw new IllegalStateException("database away");
                return store.all();
            }

            @Override
            public int forgetPrivateKeysBelow(int generation) {
                if (failing.get()) throw new IllegalStateException("database away");
                return store.forgetPrivateKeysBelow(generation);
            }
        };
        var node = new SessionTokenService(flaky, new WritingSigner(), secrets, new FakeSecretCipher(), users, clock,
                URI.create("https://orgkeys.test"));
        String kid = kid(node.issue(ADMIN).jwt());
        failing.set(true);
        clock.advance(SessionTokenService.RELOAD_INTERVAL.plusSeconds(1));
        assertEquals(kid, kid(node.issue(ADMIN).jwt()));
        assertEquals(List.of(kid), jwks(node));
        var fresh = new SessionTokenService(flaky, new WritingSigner(), secrets, new FakeSecretCipher(), users, clock,
                URI.create("https://orgkeys.test"));
        assertThrows(IllegalStateException.class, () -> fresh.issue(ADMIN), "no keys held: fails as any database read");
    }
}
