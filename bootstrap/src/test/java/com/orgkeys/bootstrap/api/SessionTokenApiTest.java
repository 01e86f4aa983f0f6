package com.orgkeys.bootstrap.api;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.orgkeys.application.sessiontoken.service.SessionTokenService;
import com.orgkeys.bootstrap.RotateSigningKeys;
import com.orgkeys.domain.sessiontoken.SigningKey;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session tokens as another service sees them: fetched by a signed-in user, verified with an independent library
 * (auth0 java-jwt, not the Nimbus that signs them) against an RSA key built from the JWKS JSON by hand.
 */
class SessionTokenApiTest {
    static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Member(Api api, String userId, String organizationId, String sessionId, JsonNode permissions) {
    }

    static Member admin() {
        Api admin = server.signUp("t" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        assertEquals(201, admin.post("/api/organizations", body("name", "Tokens Inc")).status());
        String sessionId = null;
        for (JsonNode s : admin.get("/api/sessions").body().get("data")) {
            if (s.get("current").asBoolean()) sessionId = s.get("id").asText();
        }
        JsonNode whoami = admin.get("/api/whoami").body();
        return new Member(admin, whoami.get("userId").asText(), whoami.get("organizationId").asText(), sessionId,
                whoami.get("permissions"));
    }

    /** The public keys by kid, built from the JWK members n and e alone. */
    static Map<String, RSAPublicKey> keys(JsonNode jwks) throws Exception {
        Map<String, RSAPublicKey> keys = new java.util.HashMap<>();
        for (JsonNode jwk : jwks.get("keys")) {
            jwk.fieldNames().forEachRemaining(name -> assertFalse(PRIVATE_MEMBERS.contains(name), "private member " + name));
            assertEquals("RSA", jwk.get("kty").asText());
            assertEquals("sig", jwk.get("use").asText());
            assertEquals("RS256", jwk.get("alg").asText());
            BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("n").asText()));
            BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("e").asText()));
            assertTrue(n.bitLength() >= 2048, "modulus of " + n.bitLength() + " bits");
            keys.put(jwk.get("kid").asText(), (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(n, e)));
        }
        return keys;
    }

    static Map<String, RSAPublicKey> publishedKeys() throws Exception {
        var jwks = server.anonymous().get("/.well-known/jwks.json");
        assertEquals(200, jwks.status(), jwks.toString());
        return keys(jwks.body());
    }

    static String token(Api api) {
        var response = api.get("/api/session/token");
        assertEquals(200, response.status(), response.toString());
        assertEquals("no-store", response.header("Cache-Control"), "a token is a credential");
        return response.text("token");
    }

    /** Verifies as a service would at {@code at}: signature by the kid's key, issuer, times with no leeway. */
    static DecodedJWT verify(String token, Map<String, RSAPublicKey> keys, Instant at) {
        String kid = JWT.decode(token).getKeyId();
        RSAPublicKey key = keys.get(kid);
        if (key == null) throw new JWTVerificationException("no published key " + kid) {
        };
        var verification = (JWTVerifier.BaseVerification) JWT.require(Algorithm.RSA256(key, null))
                .withIssuer(server.app.origin().toString());
        return verification.build(Clock.fixed(at, ZoneOffset.UTC)).verify(token);
    }

    @Test
    void a_signed_in_user_gets_a_token_that_an_independent_library_verifies_with_every_claim() throws Exception {
        Member admin = admin();
        Instant before = server.clock.instant().minusSeconds(1);
        var response = admin.api().get("/api/session/token");
        assertEquals(200, response.status(), response.toString());
        String token = response.text("token");
        DecodedJWT jwt = verify(token, publishedKeys(), server.clock.instant());

        assertEquals("RS256", jwt.getAlgorithm());
        assertEquals("JWT", jwt.getType());
        assertEquals(admin.userId(), jwt.getSubject());
        assertEquals(admin.sessionId(), jwt.getClaim("sid").asString(), "the session's public id");
        assertEquals(server.app.origin().toString(), jwt.getIssuer());
        assertEquals(server.app.origin().toString(), jwt.getClaim("azp").asString());
        assertEquals(admin.organizationId(), jwt.getClaim("org_id").asString());
        assertEquals("org:admin", jwt.getClaim("org_role").asString());
        List<String> permissions = new ArrayList<>();
        admin.permissions().forEach(p -> permissions.add(p.asText()));
        assertEquals(permissions, jwt.getClaim("org_permissions").asList(String.class));
        long iat = jwt.getIssuedAtAsInstant().getEpochSecond();
        assertTrue(iat >= before.getEpochSecond() && iat <= server.clock.instant().getEpochSecond() + 1, "iat " + iat);
        assertEquals(iat, jwt.getNotBeforeAsInstant().getEpochSecond());
        assertEquals(iat + 60, jwt.getExpiresAtAsInstant().getEpochSecond(), "tokens live 60 s");
        assertEquals(jwt.getExpiresAtAsInstant(), Instant.parse(response.text("expiresAt")));
        assertFalse(jwt.getId().isBlank());

        // the session cookie's value is in no claim
        String cookie = admin.api().sessionCookie().orElseThrow();
        assertFalse(new String(Base64.getUrlDecoder().decode(jwt.getPayload())).contains(cookie));

        // at its expiry (and after) no verifier accepts it
        assertThrows(TokenExpiredException.class, () -> verify(token, publishedKeys(), jwt.getExpiresAtAsInstant().plusSeconds(1)));
        // nor with a changed payload, nor with another key
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1])).replace(admin.userId(), UUID.randomUUID().toString())
                        .getBytes()) + "." + parts[2];
        assertThrows(JWTVerificationException.class, () -> verify(forged, publishedKeys(), server.clock.instant()));
    }

    @Test
    void a_user_without_an_organization_gets_a_token_without_organization_claims() throws Exception {
        Api user = server.signUp("n" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        DecodedJWT jwt = verify(token(user), publishedKeys(), server.clock.instant());
        assertTrue(jwt.getClaim("org_id").isMissing());
        assertTrue(jwt.getClaim("org_role").isMissing());
        assertTrue(jwt.getClaim("org_permissions").isMissing());
    }

    @Test
    void the_token_carries_the_users_public_metadata_as_it_is_now_and_never_the_private_one() throws Exception {
        Api user = server.signUp("m" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        assertEquals("{}", verify(token(user), publishedKeys(), server.clock.instant()).getClaim("public_metadata").toString());
        String id = user.get("/api/me").body().get("user").get("id").asText();
        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "metadata").secret());
        var set = backend.patch("/v1/users/" + id + "/metadata", Api.body("public_metadata", Map.of("plan", "pro"),
                "private_metadata", Map.of("stripe", "cus_secret")));
        assertEquals(200, set.status(), set.toString());
        DecodedJWT jwt = verify(token(user), publishedKeys(), server.clock.instant());
        assertEquals(Map.of("plan", "pro"), jwt.getClaim("public_metadata").asMap());
        assertFalse(new String(Base64.getUrlDecoder().decode(jwt.getPayload())).contains("cus_secret"));
    }

    @Test
    void only_a_signed_in_user_gets_a_token() {
        assertEquals(401, server.anonymous().get("/api/session/token").status());
        Member admin = admin();
        var key = admin.api().post("/api/api-keys", body("name", "k", "scopes", List.of("org:agents:read")));
        assertEquals(201, key.status(), key.toString());
        assertEquals(403, server.anonymous().withBearer(key.text("secret")).get("/api/session/token").status());
        assertEquals(401, server.anonymous().withBearer(SecretKeys.create(server, "t").secret())
                .get("/api/session/token").status());
    }

    /**
     * Nothing refuses a token because its session was revoked: it is a self-contained credential for 60 s. The
     * session gets no new one.
     */
    @Test
    void a_token_outlives_its_revoked_session_until_it_expires() throws Exception {
        Member admin = admin();
        String token = token(admin.api());
        String cookie = admin.api().sessionCookie().orElseThrow();
        assertEquals(204, admin.api().post("/api/auth/sign-out", null).status());
        assertEquals(401, server.anonymous().withSessionCookie(cookie).get("/api/session/token").status());
        DecodedJWT jwt = verify(token, publishedKeys(), server.clock.instant());
        assertEquals(admin.sessionId(), jwt.getClaim("sid").asString());
    }

    @Test
    void the_jwks_is_public_and_cacheable_and_the_backend_api_serves_the_same_keys() throws Exception {
        var jwks = server.anonymous().get("/.well-known/jwks.json");
        assertEquals(200, jwks.status());
        assertEquals("public, max-age=300", jwks.header("Cache-Control"));
        assertTrue(jwks.raw().length() < 10_000, jwks.raw());
        var backend = server.anonymous().withBearer(SecretKeys.create(server, "jwks").secret()).get("/v1/jwks");
        assertEquals(200, backend.status(), backend.toString());
        assertEquals(keys(jwks.body()).keySet(), keys(backend.body()).keySet());

        // the backend API wants a secret key: none, a session or an API key get Clerk's 401
        var none = server.anonymous().get("/v1/jwks");
        assertEquals(401, none.status());
        assertTrue(none.body().get("errors").get(0).has("code"), none.toString());
        assertEquals(401, admin().api().get("/v1/jwks").status());
    }

    @Test
    void private_keys_are_stored_sealed() throws Exception {
        token(admin().api());
        try (Database database = Database.connect(server.database, 2)) {
            List<byte[]> sealed = new Jdbc(database.dataSource()).list(
                    "SELECT private_key FROM signing_keys WHERE private_key IS NOT NULL", row -> row.getBytes(1));
            assertFalse(sealed.isEmpty());
            for (byte[] bytes : sealed) {
                assertThrows(Exception.class, () -> KeyFactory.getInstance("RSA")
                        .generatePrivate(new PKCS8EncodedKeySpec(bytes)), "not a plain PKCS#8 key");
            }
        }
    }

    /**
     * A rotation publishes the new key before it signs; tokens the old key signed verify until they expire, and the
     * old key leaves the JWKS after that. Runs on a server of its own: it moves the clock.
     */
    @Test
    void rotation_overlaps_old_tokens_verify_new_tokens_use_the_new_key() throws Exception {
        try (TestServer own = TestServer.start()) {
            Api user = own.signUp("r" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
            TestServer previous = server;
            server = own;
            try {
                String old = token(user);
                String oldKid = JWT.decode(old).getKeyId();
                Instant oldIssued = JWT.decode(old).getIssuedAtAsInstant();

                SigningKey next = RotateSigningKeys.rotate(own.database, own.clock);
                assertEquals("cli", next.createdBy());
                own.clock.advance(SessionTokenService.RELOAD_INTERVAL.plusSeconds(1)); // the node reads the keys again
                Map<String, RSAPublicKey> published = publishedKeys();
                assertEquals(Set.of(oldKid, next.kid()), published.keySet(), "the new key is published before it signs");
                assertEquals(oldKid, JWT.decode(token(user)).getKeyId(), "the old key still signs");

                own.clock.advance(Duration.between(own.clock.instant(), next.signsFrom()).plusSeconds(1));
                String fresh = token(user);
                assertEquals(next.kid(), JWT.decode(fresh).getKeyId(), "new tokens use the new key");
                Map<String, RSAPublicKey> after = publishedKeys();
                assertEquals(Set.of(oldKid, next.kid()), after.keySet());
                verify(old, after, oldIssued); // a token of the old key still verifies with the JWKS after rotation
                verify(fresh, after, own.clock.instant());

                own.clock.advance(SessionTokenService.TOKEN_LIFETIME.plus(SessionTokenService.RETIRED_KEY_GRACE)
                        .plus(SessionTokenService.RELOAD_INTERVAL).plusSeconds(1));
                Map<String, RSAPublicKey> later = publishedKeys();
                assertEquals(Set.of(next.kid()), later.keySet(), "the old key leaves once its tokens have expired");
                assertThrows(JWTVerificationException.class, () -> verify(old, later, oldIssued));
                try (Database database = Database.connect(own.database, 2)) {
                    var rows = new Jdbc(database.dataSource()).list(
                            "SELECT kid, private_key IS NULL AS forgotten, created_by FROM signing_keys ORDER BY generation",
                            row -> row.getString(1) + " " + row.getBoolean(2) + " " + row.getString(3));
                    assertEquals(List.of(oldKid + " true first-use", next.kid() + " false cli"), rows,
                            "the old private key is deleted; both rows stay as the record of the rotation");
                }
            } finally {
                server = previous;
            }
        }
    }

    /** Two nodes on one new database, asked for tokens at the same moment, make one key and sign with it. */
    @Test
    void two_nodes_needing_the_first_key_at_once_make_one() throws Exception {
        DatabaseUrl database = TestPostgres.newDatabase();
        try (TestServer a = TestServer.startOn(database, Map.of()); TestServer b = TestServer.startOn(database, Map.of())) {
            // unverified: either node's outbox may send the verification mail, and a token needs none
            Api user = a.signUpUnverified("c" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
            String cookie = user.sessionCookie().orElseThrow();
            List<Api> clients = List.of(a.anonymous().withSessionCookie(cookie), b.anonymous().withSessionCookie(cookie));
            int requests = 8;
            var go = new CountDownLatch(1);
            Set<String> kids = new HashSet<>();
            try (var pool = Executors.newFixedThreadPool(requests)) {
                List<Future<String>> tokens = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    Api client = clients.get(i % 2);
                    tokens.add(pool.submit(() -> {
                        go.await();
                        var response = client.get("/api/session/token");
                        assertEquals(200, response.status(), response.toString());
                        return response.text("token");
                    }));
                }
                go.countDown();
                for (Future<String> token : tokens) kids.add(JWT.decode(token.get(60, TimeUnit.SECONDS)).getKeyId());
            }
            assertEquals(1, kids.size(), "every token from either node names one key: " + kids);
            try (Database db = Database.connect(database, 2)) {
                assertEquals(1, new Jdbc(db.dataSource()).count("SELECT count(*) FROM signing_keys"));
            }
            var fromA = a.anonymous().get("/.well-known/jwks.json").body();
            var fromB = b.anonymous().get("/.well-known/jwks.json").body();
            assertEquals(fromA, fromB, "both nodes publish the same keys");
            assertNotEquals(0, fromA.get("keys").size());
        }
    }
}
