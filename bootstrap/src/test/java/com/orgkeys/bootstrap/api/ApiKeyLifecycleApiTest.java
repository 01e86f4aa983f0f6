package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Editing, disabling, enabling and deleting API keys over HTTP (issue 25): /api/api-keys and the backend API. */
class ApiKeyLifecycleApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A member of {@code admin}'s organization who may manage keys and read agents, but not manage agents. */
    static Api keymaster(Api admin) {
        admin.post("/api/roles", body("key", "org:keymaster", "name", "Key master",
                "permissions", List.of("org:sys_api_keys:manage", "org:sys_api_keys:read", "org:agents:read")));
        String email = "k" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Api member = server.signUp(email);
        String url = admin.post("/api/invitations", body("email", email, "role", "org:keymaster")).text("acceptUrl");
        assertEquals(200, member.post("/api/invitations/accept", body("token", url.substring(url.indexOf("token=") + 6))).status());
        return member;
    }

    static List<String> permissions(Api program) {
        var whoami = program.get("/api/whoami");
        assertEquals(200, whoami.status(), whoami.toString());
        List<String> result = new ArrayList<>();
        whoami.body().get("permissions").forEach(p -> result.add(p.asText()));
        return result;
    }

    @Test
    void an_edit_takes_effect_on_the_next_request_and_is_audited_old_to_new() {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        var created = ApiKeyFixture.key(admin, "ci", "org:agents:read");
        Api program = server.anonymous().withBearer(created.text("secret"));
        assertEquals(List.of("org:agents:read"), permissions(program)); // remembered by verification now

        var edited = admin.patch("/api/api-keys/" + created.text("id"), body("name", "ci deploy", "description", "pipeline",
                "scopes", List.of("org:agents:read", "org:agents:manage")));

        assertEquals(200, edited.status(), edited.toString());
        assertEquals("ci deploy", edited.text("name"));
        assertEquals("pipeline", edited.text("description"));
        assertEquals("active", edited.text("status"));
        assertNotNull(edited.text("updatedAt"));
        assertEquals(List.of("org:agents:read", "org:agents:manage"), permissions(program));
        assertEquals(201, program.post("/api/agents", body("name", "made after the edit", "model", "m")).status());
        JsonNode event = admin.get("/api/audit-events?pageSize=5").body().get("data").get(0);
        assertEquals("api_key.updated", event.get("action").asText());
        assertEquals("name=ci → ci deploy description=\"\" → \"pipeline\" scopes=org:agents:read → "
                + "org:agents:read,org:agents:manage", event.get("details").asText());

        // narrowing works the same way
        admin.patch("/api/api-keys/" + created.text("id"), body("scopes", List.of()));
        assertEquals(List.of(), permissions(program));
        assertEquals(403, program.get("/api/agents").status());
    }

    @Test
    void a_member_cannot_give_a_key_a_scope_they_lack_and_nothing_changes() {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        Api member = keymaster(admin);
        var key = member.post("/api/api-keys", body("name", "mine", "scopes", List.of("org:agents:read")));
        String path = "/api/api-keys/" + key.text("id");

        var refused = member.patch(path, body("scopes", List.of("org:agents:read", "org:agents:manage")));

        assertEquals(403, refused.status(), refused.toString());
        assertEquals("application/problem+json", refused.header("Content-Type"));
        assertTrue(refused.text("detail").contains("org:agents:manage"), refused.toString());
        assertEquals(List.of("org:agents:read"), permissions(server.anonymous().withBearer(key.text("secret"))));
        // nor by enabling a key with more scopes than they hold
        var strong = ApiKeyFixture.key(admin, "strong", "org:agents:manage");
        assertEquals(200, member.post("/api/api-keys/" + strong.text("id") + "/disable", null).status());
        assertEquals(403, member.post("/api/api-keys/" + strong.text("id") + "/enable", null).status());
        assertEquals("disabled", admin.get("/api/api-keys/" + strong.text("id")).text("status"));
    }

    @Test
    void a_disabled_key_is_refused_like_a_revoked_one_until_enabled_and_is_listed_as_disabled() {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        var created = ApiKeyFixture.key(admin, "pausable");
        ApiKeyFixture.key(admin, "other");
        String path = "/api/api-keys/" + created.text("id");
        Api program = server.anonymous().withBearer(created.text("secret"));
        assertEquals(200, program.get("/api/whoami").status());

        var disabled = admin.post(path + "/disable", null);

        assertEquals(200, disabled.status(), disabled.toString());
        assertEquals("disabled", disabled.text("status"));
        assertNotNull(disabled.text("disabledAt"));
        var refused = program.get("/api/whoami");
        assertEquals(401, refused.status());
        assertEquals("Bearer realm=\"orgkeys\", error=\"invalid_token\"", refused.header("WWW-Authenticate"));
        var listed = admin.get("/api/api-keys?status=disabled").body();
        assertEquals(1, listed.get("totalCount").asInt());
        assertEquals(created.text("id"), listed.get("data").get(0).get("id").asText());
        assertEquals(1, admin.get("/api/api-keys?status=active").body().get("totalCount").asInt());
        assertEquals(422, admin.get("/api/api-keys?status=paused").status());

        var enabled = admin.post(path + "/enable", null);
        assertEquals("active", enabled.text("status"));
        assertNull(enabled.text("disabledAt"));
        assertEquals(200, program.get("/api/whoami").status());
    }

    @Test
    void a_revoked_key_cannot_be_edited_or_enabled_and_only_revoked_or_expired_keys_are_deleted() {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        var active = ApiKeyFixture.key(admin, "active");
        var revoked = ApiKeyFixture.key(admin, "revoked");
        admin.post("/api/api-keys/" + revoked.text("id") + "/revoke", body("revocationReason", "done"));

        var activeDelete = admin.delete("/api/api-keys/" + active.text("id"));
        assertEquals(409, activeDelete.status());
        assertTrue(activeDelete.text("detail").contains("Revoke it first"), activeDelete.toString());
        assertEquals(409, admin.patch("/api/api-keys/" + revoked.text("id"), body("name", "x")).status());
        assertEquals(409, admin.post("/api/api-keys/" + revoked.text("id") + "/enable", null).status());
        assertEquals(409, admin.post("/api/api-keys/" + revoked.text("id") + "/disable", null).status());

        assertEquals(204, admin.delete("/api/api-keys/" + revoked.text("id")).status());
        assertEquals(404, admin.get("/api/api-keys/" + revoked.text("id")).status());
        assertEquals(404, admin.delete("/api/api-keys/" + revoked.text("id")).status());
        assertEquals(1, admin.get("/api/api-keys").body().get("totalCount").asInt());
        List<String> actions = new ArrayList<>();
        admin.get("/api/audit-events?pageSize=10").body().get("data").forEach(e -> actions.add(e.get("action").asText()));
        assertTrue(actions.containsAll(List.of("api_key.deleted", "api_key.revoked", "api_key.created")), actions.toString());
    }

    @Test
    void another_organization_can_neither_edit_disable_nor_delete_the_key() {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        Api stranger = ApiKeyFixture.adminOfNewOrganization(server);
        var key = ApiKeyFixture.key(admin, "private");
        String path = "/api/api-keys/" + key.text("id");
        admin.post(path + "/revoke", null);
        var other = ApiKeyFixture.key(admin, "live");
        String live = "/api/api-keys/" + other.text("id");

        assertEquals(404, stranger.patch(live, body("name", "mine now")).status());
        assertEquals(404, stranger.post(live + "/disable", null).status());
        assertEquals(404, stranger.delete(path).status());

        assertEquals("live", admin.get(live).text("name"));
        assertEquals("active", admin.get(live).text("status"));
        assertEquals("revoked", admin.get(path).text("status"));
    }

    @Test
    void bad_edits_are_refused_clearly_and_change_nothing() {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        var key = ApiKeyFixture.key(admin, "k", "org:agents:read");
        String path = "/api/api-keys/" + key.text("id");

        var invalid = admin.patch(path, body("name", "", "description", "x".repeat(1001), "scopes", List.of("org:sys_api_keys:manage")));
        assertEquals(422, invalid.status(), invalid.toString());
        List<String> fields = new ArrayList<>();
        invalid.body().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(List.of("name", "description", "scopes"), fields);
        var unknown = admin.patch(path, body("name", "k", "enabled", false));
        assertEquals(422, unknown.status(), "unknown field");
        assertEquals("enabled", unknown.body().get("errors").get(0).get("field").asText(), unknown.toString());
        assertEquals(422, admin.patch(path, body("name", "a\u0000b")).status());
        assertEquals(422, admin.send("POST", path + "/disable", body("reason", "x")).status(), "disable takes no fields");

        var unchanged = admin.get(path);
        assertEquals("k", unchanged.text("name"));
        assertEquals("active", unchanged.text("status"));
    }

    /** Disable, enable, revoke and edit in parallel: the key ends in one consistent state, refused for good if revoked. */
    @Test
    void parallel_disable_enable_revoke_and_edit_end_consistent() throws Exception {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                var key = ApiKeyFixture.key(admin, "raced " + round);
                String path = "/api/api-keys/" + key.text("id");
                CyclicBarrier start = new CyclicBarrier(8);
                List<Callable<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    calls.add(() -> { start.await(10, TimeUnit.SECONDS); return admin.post(path + "/disable", null).status(); });
                    calls.add(() -> { start.await(10, TimeUnit.SECONDS); return admin.post(path + "/enable", null).status(); });
                    int n = i;
                    calls.add(() -> { start.await(10, TimeUnit.SECONDS); return admin.patch(path, body("name", "renamed " + n)).status(); });
                }
                calls.add(() -> { start.await(10, TimeUnit.SECONDS); return admin.post(path + "/revoke", null).status(); });
                calls.add(() -> { start.await(10, TimeUnit.SECONDS); return admin.post(path + "/revoke", null).status(); });
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) statuses.add(f.get());
                // each either succeeded before the revocation or was refused after it, never a 5xx
                assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 409), statuses.toString());

                var after = admin.get(path);
                assertEquals("revoked", after.text("status"));
                assertEquals(401, server.anonymous().withBearer(key.text("secret")).get("/api/whoami").status());
                long revocations = 0;
                for (JsonNode e : admin.get("/api/audit-events?pageSize=100").body().get("data")) {
                    if (e.get("action").asText().equals("api_key.revoked") && e.get("target").asText().equals(key.text("id"))) revocations++;
                }
                assertEquals(1, revocations);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void the_backend_api_updates_and_deletes_in_clerks_shapes_and_refuses_subject_claims_and_expiry_changes() {
        Api admin = ApiKeyFixture.adminOfNewOrganization(server);
        String org = admin.get("/api/organization").text("id");
        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "lifecycle").secret());
        var created = backend.post("/v1/api_keys", body("name", "customer", "subject", org, "scopes", List.of("org:agents:read")));
        String id = created.text("id");

        var updated = backend.patch("/api_keys/" + id, body("subject", org, "description", "for the customer",
                "scopes", List.of("org:agents:read", "org:agents:manage"), "claims", null));
        assertEquals(200, updated.status(), updated.toString());
        assertEquals("api_key", updated.text("object"));
        assertEquals("for the customer", updated.text("description"));
        assertEquals(2, updated.body().get("scopes").size());
        assertTrue(updated.body().get("updated_at").asLong() >= updated.body().get("created_at").asLong());
        assertEquals(false, updated.body().get("disabled").asBoolean());

        for (Map<String, Object> bad : List.of(body("subject", UUID.randomUUID().toString(), "description", "moved"),
                body("subject", org, "claims", Map.of("tier", "gold")),
                body("subject", org, "seconds_until_expiration", 60))) {
            var refused = backend.patch("/v1/api_keys/" + id, bad);
            assertEquals(422, refused.status(), refused.toString());
            assertEquals("form_param_invalid", refused.body().get("errors").get(0).get("code").asText());
        }
        assertEquals("for the customer", backend.get("/v1/api_keys/" + id).text("description"));

        var live = backend.delete("/v1/api_keys/" + id);
        assertEquals(409, live.status(), live.toString());
        backend.post("/v1/api_keys/" + id + "/revoke", body("revocation_reason", "customer left"));
        var deleted = backend.delete("/api_keys/" + id);
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals("api_key", deleted.text("object"));
        assertEquals(id, deleted.text("id"));
        assertTrue(deleted.body().get("deleted").asBoolean());
        var gone = backend.get("/v1/api_keys/" + id);
        assertEquals(404, gone.status());
        assertEquals("resource_not_found", gone.body().get("errors").get(0).get("code").asText());
    }
}
