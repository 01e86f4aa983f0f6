package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.orgkeys.domain.apikey.ApiKeySecret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend API's /v1/api_keys, in Clerk's shapes, with a backend secret key. */
class BackendApiKeyApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Organization(Api admin, String id) {
    }

    static Organization organization() {
        Api admin = server.signUp("b" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        assertEquals(201, admin.post("/api/organizations", body("name", "Backend Inc")).status());
        return new Organization(admin, admin.get("/api/organization").text("id"));
    }

    static Api backend() {
        return server.anonymous().withBearer(SecretKeys.create(server, "backend").secret());
    }

    @Test
    void create_list_get_revoke_and_verify_in_clerks_shapes() {
        Organization org = organization();
        Api backend = backend();
        long before = System.currentTimeMillis();
        var created = backend.post("/v1/api_keys", body("name", "customer key", "subject", org.id(),
                "description", "for billing", "scopes", List.of("org:agents:read"), "seconds_until_expiration", 3600));
        assertEquals(200, created.status(), created.toString());
        JsonNode key = created.body();
        assertEquals("api_key", key.get("object").asText());
        assertEquals("api_key", key.get("type").asText());
        assertEquals(org.id(), key.get("subject").asText());
        assertEquals("customer key", key.get("name").asText());
        assertEquals("for billing", key.get("description").asText());
        assertEquals("[\"org:agents:read\"]", key.get("scopes").toString());
        assertFalse(key.get("revoked").asBoolean());
        assertFalse(key.get("expired").asBoolean());
        assertTrue(key.get("created_at").asLong() >= before - 1000, key.toString());
        assertTrue(Math.abs(key.get("expiration").asLong() - key.get("created_at").asLong() - 3_600_000) < 1000, key.toString());
        assertTrue(key.get("created_by").asText().startsWith("secret_key:"), key.toString());
        String secret = key.get("secret").asText();
        assertTrue(ApiKeySecret.parse(secret).isPresent(), secret);
        String id = key.get("id").asText();

        // the key works as any API key, and the organization sees who made it
        assertEquals(200, server.anonymous().withBearer(secret).get("/api/agents").status());
        var audit = org.admin().get("/api/audit-events").body().get("data");
        assertTrue(audit.toString().contains("\"actor\":\"" + key.get("created_by").asText() + "\""), audit.toString());

        var list = backend.get("/v1/api_keys?subject=" + org.id());
        assertEquals(200, list.status(), list.toString());
        assertEquals(1, list.body().get("total_count").asInt());
        assertEquals(id, list.body().get("data").get(0).get("id").asText());
        assertTrue(list.body().get("data").get(0).get("secret").isNull(), "the secret is shown once");

        var fetched = backend.get("/v1/api_keys/" + id);
        assertEquals(200, fetched.status());
        assertEquals("customer key", fetched.text("name"));

        var verified = backend.post("/v1/api_keys/verify", body("secret", secret));
        assertEquals(200, verified.status(), verified.toString());
        assertEquals(id, verified.text("id"));
        assertEquals(org.id(), verified.text("subject"));
        assertEquals("[\"org:agents:read\"]", verified.body().get("scopes").toString());

        var revoked = backend.post("/v1/api_keys/" + id + "/revoke", body("revocation_reason", "rotated"));
        assertEquals(200, revoked.status(), revoked.toString());
        assertTrue(revoked.body().get("revoked").asBoolean());
        assertEquals("rotated", revoked.text("revocation_reason"));
        // at once, through the same cache as every request: verify and the key itself are refused
        var refused = backend.post("/v1/api_keys/verify", body("secret", secret));
        assertEquals(404, refused.status(), refused.toString());
        assertEquals("resource_not_found", refused.body().get("errors").get(0).get("code").asText());
        assertEquals(401, server.anonymous().withBearer(secret).get("/api/agents").status());

        assertEquals(0, backend.get("/v1/api_keys?subject=" + org.id()).body().get("total_count").asInt(),
                "only valid keys by default");
        assertEquals(1, backend.get("/v1/api_keys?subject=" + org.id() + "&include_invalid=true").body()
                .get("total_count").asInt());
    }

    @Test
    void a_members_key_has_the_user_as_subject_and_acts_as_them_everywhere_it_is_verified() {
        Organization org = organization();
        Api backend = backend();
        String userId = org.admin().get("/api/whoami").text("userId");

        // a user's id alone is no organization: the 404 says how to name a member's keys
        var alone = backend.post("/v1/api_keys", body("name", "x", "subject", userId));
        assertEquals(404, alone.status(), alone.toString());
        assertTrue(alone.raw().contains("organization_id"), alone.toString());
        Api outsider = server.signUp("o" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        var notMember = backend.post("/v1/api_keys", body("name", "x", "subject",
                outsider.get("/api/whoami").text("userId"), "organization_id", org.id()));
        assertEquals(422, notMember.status(), notMember.toString());
        assertEquals("subject", notMember.body().get("errors").get(0).get("meta").get("param_name").asText());
        var badOrg = backend.post("/v1/api_keys", body("name", "x", "subject", userId, "organization_id", "nope"));
        assertEquals("organization_id", badOrg.body().get("errors").get(0).get("meta").get("param_name").asText());

        var created = backend.post("/v1/api_keys", body("name", "my key", "subject", userId, "organization_id", org.id(),
                "scopes", List.of("org:agents:read")));
        assertEquals(200, created.status(), created.toString());
        assertEquals(userId, created.text("subject"));
        assertEquals(org.id(), created.text("organization_id"));
        String id = created.text("id"), secret = created.text("secret");
        String orgKey = backend.post("/v1/api_keys", body("name", "org key", "subject", org.id())).text("id");

        // listed by subject: the member's keys, or the organization's own
        var mine = backend.get("/v1/api_keys?subject=" + userId + "&organization_id=" + org.id()).body();
        assertEquals(1, mine.get("total_count").asInt(), mine.toString());
        assertEquals(id, mine.get("data").get(0).get("id").asText());
        var organizations = backend.get("/v1/api_keys?subject=" + org.id()).body();
        assertEquals(1, organizations.get("total_count").asInt(), organizations.toString());
        assertEquals(orgKey, organizations.get("data").get(0).get("id").asText());

        // each way of asking about the key names the user it acts as
        var verified = backend.post("/v1/api_keys/verify", body("secret", secret));
        assertEquals(userId, verified.text("subject"), verified.toString());
        assertEquals(org.id(), verified.text("organization_id"));
        var whoami = server.anonymous().withBearer(secret).get("/api/whoami");
        assertEquals(userId, whoami.text("userId"), whoami.toString());
        assertEquals(id, whoami.text("keyId"));
        var gateway = server.anonymous().withBearer(secret).get("/v1/forward-auth?scope=org:agents:read");
        assertEquals(200, gateway.status(), gateway.toString());
        assertEquals("api_key:" + id, gateway.header("X-Orgkeys-Subject"), "a key, not the user's session");
        assertEquals(org.id(), gateway.header("X-Orgkeys-Organization-Id"));
        var introspected = backend.send("POST", "/oauth/introspect", "application/x-www-form-urlencoded",
                "token=" + secret);
        assertEquals("user:" + userId, introspected.text("sub"), introspected.toString());
        assertEquals(id, introspected.text("client_id"));

        // a key stays with its subject: the user's id is its own, the organization's is not
        assertEquals(200, backend.patch("/v1/api_keys/" + id, body("subject", userId, "description", "edited")).status());
        var moved = backend.patch("/v1/api_keys/" + id, body("subject", org.id(), "description", "moved"));
        assertEquals(422, moved.status(), moved.toString());
        assertEquals("subject", moved.body().get("errors").get(0).get("meta").get("param_name").asText());
        assertEquals("edited", backend.get("/v1/api_keys/" + id).text("description"));
    }

    @Test
    void lists_page_with_limit_and_offset() {
        Organization org = organization();
        Api backend = backend();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(backend.post("/v1/api_keys", body("name", "k" + i, "subject", org.id())).text("id"));
        }
        var first = backend.get("/v1/api_keys?subject=" + org.id() + "&limit=2&offset=0").body();
        var second = backend.get("/v1/api_keys?subject=" + org.id() + "&limit=2&offset=2").body();
        assertEquals(3, first.get("total_count").asInt());
        assertEquals(2, first.get("data").size());
        assertEquals(1, second.get("data").size());
        List<String> seen = new ArrayList<>();
        first.get("data").forEach(k -> seen.add(k.get("id").asText()));
        second.get("data").forEach(k -> seen.add(k.get("id").asText()));
        assertEquals(ids.reversed(), seen, "newest first");
        var bad = backend.get("/v1/api_keys?subject=" + org.id() + "&limit=2&offset=1");
        assertEquals(422, bad.status());
        assertEquals("offset", bad.body().get("errors").get(0).get("meta").get("param_name").asText());
    }

    @Test
    void errors_come_in_clerks_shape_and_change_nothing() {
        Organization org = organization();
        Api backend = backend();
        var noSubject = backend.post("/v1/api_keys", body("name", "x"));
        assertEquals(422, noSubject.status());
        assertEquals("form_param_invalid", noSubject.body().get("errors").get(0).get("code").asText());
        assertEquals("subject", noSubject.body().get("errors").get(0).get("meta").get("param_name").asText());
        assertEquals(404, backend.post("/v1/api_keys", body("name", "x", "subject", UUID.randomUUID().toString())).status());
        var claims = backend.post("/v1/api_keys", body("name", "x", "subject", org.id(), "claims", java.util.Map.of("a", 1)));
        assertEquals(422, claims.status());
        var badScope = backend.post("/v1/api_keys", body("name", "x", "subject", org.id(), "scopes", List.of("org:sys_api_keys:manage")));
        assertEquals(422, badScope.status(), badScope.toString());
        assertEquals("scopes", badScope.body().get("errors").get(0).get("meta").get("param_name").asText());
        var expiry = backend.post("/v1/api_keys", body("name", "x", "subject", org.id(), "seconds_until_expiration", 0));
        assertEquals("seconds_until_expiration", expiry.body().get("errors").get(0).get("meta").get("param_name").asText());
        assertEquals(0, backend.get("/v1/api_keys?subject=" + org.id() + "&include_invalid=true").body().get("total_count").asInt());

        String id = backend.post("/v1/api_keys", body("name", "kept", "subject", org.id())).text("id");
        var secret = backend.get("/v1/api_keys/" + id + "/secret");
        assertEquals(400, secret.status());
        assertTrue(secret.body().get("errors").get(0).get("long_message").asText().contains("never keeps"), secret.toString());
        assertEquals(404, backend.get("/v1/api_keys/" + UUID.randomUUID()).status());
        assertEquals(404, backend.post("/v1/api_keys/verify", body("secret", "ok_typo")).status());
        var unauthenticated = server.anonymous().get("/v1/api_keys?subject=" + org.id());
        assertEquals(401, unauthenticated.status());
        assertEquals("authentication_invalid", unauthenticated.body().get("errors").get(0).get("code").asText());
        assertTrue(unauthenticated.header("WWW-Authenticate").startsWith("Bearer"));
    }

    @Test
    void a_secret_key_revoked_elsewhere_is_refused_once_the_feed_tells_this_node() throws Exception {
        Organization org = organization();
        var key = SecretKeys.create(server, "short-lived");
        Api backend = server.anonymous().withBearer(key.secret());
        assertEquals(200, backend.get("/v1/api_keys?subject=" + org.id()).status()); // now remembered
        SecretKeys.revoke(server, key.id()); // by another process, as the CLI does
        long deadline = System.nanoTime() + 10_000_000_000L;
        int status;
        do {
            status = backend.get("/v1/api_keys?subject=" + org.id()).status();
        } while (status == 200 && System.nanoTime() < deadline);
        assertEquals(401, status, "the revocation feed evicted the key");
    }
}
