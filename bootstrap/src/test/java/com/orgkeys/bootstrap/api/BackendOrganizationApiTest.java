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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend API's /v1/organizations and their memberships, in Clerk's shapes, with a backend secret key. */
class BackendOrganizationApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record User(Api api, String id, String email) {
    }

    static User user() {
        String email = "o" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Api api = server.signUp(email);
        return new User(api, api.get("/api/me").body().get("user").get("id").asText(), email);
    }

    static Api backend() {
        return server.anonymous().withBearer(SecretKeys.create(server, "backend").secret());
    }

    static String createOrganization(Api backend, User creator, String name) {
        var created = backend.post("/v1/organizations", body("name", name, "created_by", creator.id()));
        assertEquals(200, created.status(), created.toString());
        return created.text("id");
    }

    static String code(Api.Response response) {
        return response.body().get("errors").get(0).get("code").asText();
    }

    static String param(Api.Response response) {
        return response.body().get("errors").get(0).get("meta").get("param_name").asText();
    }

    @Test
    void create_get_update_list_and_delete_organizations_in_clerks_shapes() {
        Api backend = backend();
        User creator = user();
        long before = System.currentTimeMillis();
        var created = backend.post("/v1/organizations", body("name", "Backend Made", "slug",
                "backend-made-" + UUID.randomUUID().toString().substring(0, 8), "created_by", creator.id(),
                "max_allowed_memberships", 0, "public_metadata", Map.of()));
        assertEquals(200, created.status(), created.toString());
        JsonNode org = created.body();
        assertEquals("organization", org.get("object").asText());
        assertEquals("Backend Made", org.get("name").asText());
        assertTrue(org.get("created_at").asLong() >= before - 1000, org.toString());
        assertEquals("{}", org.get("public_metadata").toString());
        assertEquals("{}", org.get("private_metadata").toString());
        String id = org.get("id").asText();
        String slug = org.get("slug").asText();

        // the creator is its admin, as after creating it in the dashboard; the audit names the secret key
        var mine = creator.api().get("/api/me").body().get("organizations").toString();
        assertTrue(mine.contains(id), mine);
        creator.api().put("/api/session/active-organization", body("organizationId", id));
        var audit = creator.api().get("/api/audit-events").body().get("data").toString();
        assertTrue(audit.contains("organization.created") && audit.contains("\"actor\":\"secret_key:"), audit);

        var byId = backend.get("/v1/organizations/" + id + "?include_members_count=true");
        assertEquals(200, byId.status(), byId.toString());
        assertEquals(1, byId.body().get("members_count").asInt());
        assertEquals(id, backend.get("/v1/organizations/" + slug).text("id"), "by slug too");

        var updated = backend.patch("/v1/organizations/" + id, body("name", "Renamed", "slug", slug + "-x"));
        assertEquals(200, updated.status(), updated.toString());
        assertEquals("Renamed", updated.text("name"));
        assertEquals(slug + "-x", updated.text("slug"));

        var listed = backend.get("/v1/organizations?query=" + slug + "-x");
        assertEquals(200, listed.status(), listed.toString());
        assertEquals(1, listed.body().get("total_count").asInt());
        assertEquals(id, listed.body().get("data").get(0).get("id").asText());

        var deleted = backend.delete("/v1/organizations/" + id);
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals("{\"object\":\"organization\",\"id\":\"" + id + "\",\"slug\":\"" + slug + "-x\",\"deleted\":true}",
                deleted.body().toString());
        assertEquals(404, backend.get("/v1/organizations/" + id).status());
        assertEquals(404, backend.delete("/v1/organizations/" + id).status());
        assertFalse(creator.api().get("/api/me").body().get("organizations").toString().contains(id));
    }

    @Test
    void organizations_list_newest_first_with_limit_and_offset() {
        Api backend = backend();
        User creator = user();
        String tag = "page" + UUID.randomUUID().toString().substring(0, 6);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) ids.add(createOrganization(backend, creator, tag + " " + i));
        var first = backend.get("/v1/organizations?query=" + tag + "&limit=2").body();
        var second = backend.get("/v1/organizations?query=" + tag + "&limit=2&offset=2").body();
        assertEquals(3, first.get("total_count").asInt());
        List<String> seen = new ArrayList<>();
        first.get("data").forEach(o -> seen.add(o.get("id").asText()));
        second.get("data").forEach(o -> seen.add(o.get("id").asText()));
        assertEquals(ids.reversed(), seen);
        var counted = backend.get("/v1/organizations?query=" + tag + "&include_members_count=true").body().get("data");
        counted.forEach(o -> assertEquals(1, o.get("members_count").asInt(), o.toString()));
        assertEquals(3, counted.size());
        first.get("data").forEach(o -> assertTrue(o.get("members_count") == null || o.get("members_count").isNull(),
                "not asked for: " + o));
        var byName = backend.get("/v1/organizations?query=" + tag + "&order_by=name").body().get("data");
        assertEquals(ids.getFirst(), byName.get(0).get("id").asText());
        var badOrder = backend.get("/v1/organizations?order_by=members_count");
        assertEquals(422, badOrder.status());
        assertEquals("order_by", param(badOrder));
    }

    @Test
    void bad_organization_requests_are_refused_in_clerks_shape_and_change_nothing() {
        Api backend = backend();
        User creator = user();
        var noCreator = backend.post("/v1/organizations", body("name", "Nobody's"));
        assertEquals(422, noCreator.status());
        assertEquals("form_param_invalid", code(noCreator));
        assertEquals("created_by", param(noCreator));
        assertEquals(404, backend.post("/v1/organizations", body("name", "Ghost's", "created_by",
                UUID.randomUUID().toString())).status(), "unknown user");
        var metadata = backend.post("/v1/organizations", body("name", "Meta", "created_by", creator.id(),
                "private_metadata", List.of("not", "an", "object")));
        assertEquals(422, metadata.status());
        assertEquals("private_metadata", param(metadata));
        var limit = backend.post("/v1/organizations", body("name", "Small", "created_by", creator.id(),
                "max_allowed_memberships", 5));
        assertEquals("max_allowed_memberships", param(limit));
        var nul = backend.post("/v1/organizations", body("name", "a\u0000b", "created_by", creator.id()));
        assertEquals(422, nul.status(), nul.toString());
        assertEquals(0, creator.api().get("/api/me").body().get("organizations").size(), "nothing was created");

        String id = createOrganization(backend, creator, "Stable");
        var metadataUpdate = backend.patch("/v1/organizations/" + id, body("name", "Changed",
                "public_metadata", "text"));
        assertEquals(422, metadataUpdate.status());
        assertEquals("public_metadata", param(metadataUpdate));
        assertEquals("Stable", backend.get("/v1/organizations/" + id).text("name"), "nothing changed");
        assertEquals(404, backend.get("/v1/organizations/" + UUID.randomUUID()).status());
        assertEquals(404, backend.get("/v1/organizations/no-such-slug").status());
        assertEquals(404, backend.patch("/v1/organizations/" + UUID.randomUUID(), body("name", "x")).status());
    }

    @Test
    void memberships_add_list_change_and_remove_with_the_products_rules() {
        Api backend = backend();
        User admin = user();
        User member = user();
        String org = createOrganization(backend, admin, "Members Inc");
        String base = "/v1/organizations/" + org + "/memberships";

        var added = backend.post(base, body("user_id", member.id(), "role", "org:member"));
        assertEquals(200, added.status(), added.toString());
        JsonNode m = added.body();
        assertEquals("organization_membership", m.get("object").asText());
        assertEquals("org:member", m.get("role").asText());
        assertEquals(org, m.get("organization").get("id").asText());
        assertEquals(member.id(), m.get("public_user_data").get("user_id").asText());
        assertEquals(member.email(), m.get("public_user_data").get("identifier").asText());
        assertTrue(m.get("permissions").toString().contains("org:sys_memberships:read"), m.toString());

        var list = backend.get(base);
        assertEquals(200, list.status(), list.toString());
        assertEquals(2, list.body().get("total_count").asInt());
        var admins = backend.get(base + "?role=org:admin").body();
        assertEquals(1, admins.get("total_count").asInt());
        assertEquals(admin.id(), admins.get("data").get(0).get("public_user_data").get("user_id").asText());
        var one = backend.get(base + "?user_id=" + member.id()).body();
        assertEquals(1, one.get("total_count").asInt());

        var duplicate = backend.post(base, body("user_id", member.id(), "role", "org:admin"));
        assertEquals(409, duplicate.status(), duplicate.toString());
        assertEquals("already_a_member_in_organization", code(duplicate));

        // the last admin can be neither demoted nor removed
        var demoteLast = backend.patch(base + "/" + admin.id(), body("role", "org:member"));
        assertEquals(409, demoteLast.status(), demoteLast.toString());
        assertEquals(409, backend.delete(base + "/" + admin.id()).status());

        // Clerk's legacy name of the admin role works too; then the first admin may go
        var promoted = backend.patch(base + "/" + member.id(), body("role", "admin"));
        assertEquals(200, promoted.status(), promoted.toString());
        assertEquals("org:admin", promoted.text("role"));
        var removed = backend.delete(base + "/" + admin.id());
        assertEquals(200, removed.status(), removed.toString());
        assertEquals(admin.id(), removed.body().get("public_user_data").get("user_id").asText());
        assertEquals(1, backend.get(base).body().get("total_count").asInt());
        assertEquals(404, backend.delete(base + "/" + admin.id()).status());

        member.api().put("/api/session/active-organization", body("organizationId", org));
        var audit = member.api().get("/api/audit-events").body().get("data").toString();
        assertTrue(audit.contains("member.added") && audit.contains("member.removed"), audit);
    }

    @Test
    void custom_roles_of_that_organization_only_and_unknown_users_are_refused() {
        Api backend = backend();
        User admin = user();
        User other = user();
        User joiner = user();
        String org = createOrganization(backend, admin, "Roles Inc");
        String otherOrg = createOrganization(backend, other, "Other Inc");
        admin.api().put("/api/session/active-organization", body("organizationId", org));
        assertEquals(201, admin.api().post("/api/roles", body("key", "org:billing", "name", "Billing",
                "permissions", List.of("org:sys_memberships:read"))).status());

        var custom = backend.post("/v1/organizations/" + org + "/memberships", body("user_id", joiner.id(), "role", "org:billing"));
        assertEquals(200, custom.status(), custom.toString());
        assertEquals("[\"org:sys_memberships:read\"]", custom.body().get("permissions").toString());

        // org:billing exists in the first organization only
        var elsewhere = backend.post("/v1/organizations/" + otherOrg + "/memberships", body("user_id", joiner.id(), "role", "org:billing"));
        assertEquals(422, elsewhere.status(), elsewhere.toString());
        assertEquals("role", param(elsewhere));
        var malformed = backend.post("/v1/organizations/" + otherOrg + "/memberships", body("user_id", joiner.id(), "role", "owner"));
        assertEquals(422, malformed.status());
        var ghost = backend.post("/v1/organizations/" + otherOrg + "/memberships", body("user_id", UUID.randomUUID().toString(), "role", "org:member"));
        assertEquals(404, ghost.status(), ghost.toString());
        assertEquals("resource_not_found", code(ghost));
        assertEquals(1, backend.get("/v1/organizations/" + otherOrg + "/memberships").body().get("total_count").asInt());

        // a member of one organization is no member of another: its paths answer 404
        assertEquals(404, backend.patch("/v1/organizations/" + otherOrg + "/memberships/" + joiner.id(), body("role", "org:member")).status());
        assertEquals(404, backend.delete("/v1/organizations/" + otherOrg + "/memberships/" + admin.id()).status());
        assertEquals(404, backend.get("/v1/organizations/" + UUID.randomUUID() + "/memberships").status());
        assertEquals(404, backend.post("/v1/organizations/" + UUID.randomUUID() + "/memberships",
                body("user_id", joiner.id(), "role", "org:member")).status());
    }

    @Test
    void parallel_adds_of_one_user_make_exactly_one_membership() throws Exception {
        Api backend = backend();
        User admin = user();
        User joiner = user();
        String org = createOrganization(backend, admin, "Race Inc");
        int n = 8;
        List<Callable<Integer>> adds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            adds.add(() -> backend.post("/v1/organizations/" + org + "/memberships",
                    body("user_id", joiner.id(), "role", "org:member")).status());
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(adds, 60, TimeUnit.SECONDS)) statuses.add(f.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(n - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(2, backend.get("/v1/organizations/" + org + "/memberships").body().get("total_count").asInt());
    }

    /** {@code {"k":"…"}}: 8 bytes of JSON around the value. */
    static Map<String, Object> ofBytes(int bytes) {
        return Map.of("k", "x".repeat(bytes - 8));
    }

    @Test
    void metadata_is_created_replaced_merged_and_read_in_clerks_shape() {
        Api backend = backend();
        User creator = user();
        var created = backend.post("/v1/organizations", body("name", "Meta Made", "created_by", creator.id(),
                "public_metadata", Map.of("plan", "pro", "nested", Map.of("x", 1, "y", 2)),
                "private_metadata", Map.of("stripe", "cus_1")));
        assertEquals(200, created.status(), created.toString());
        assertEquals("{\"plan\":\"pro\",\"nested\":{\"x\":1,\"y\":2}}".length(),
                created.body().get("public_metadata").toString().length(), created.toString());
        assertEquals("{\"stripe\":\"cus_1\"}", created.body().get("private_metadata").toString());
        String id = created.text("id");
        assertEquals("{\"stripe\":\"cus_1\"}", backend.get("/v1/organizations/" + id).body()
                .get("private_metadata").toString(), "stored");

        // Clerk's deep merge: a null removes its key, nested objects merge, what is not given stays
        Map<String, Object> nested = new java.util.HashMap<>();
        nested.put("y", null);
        nested.put("z", 3);
        Map<String, Object> patch = new java.util.HashMap<>();
        patch.put("nested", nested);
        patch.put("plan", null);
        var merged = backend.patch("/v1/organizations/" + id + "/metadata", body("public_metadata", patch));
        assertEquals(200, merged.status(), merged.toString());
        assertEquals("organization", merged.text("object"));
        assertEquals("{\"nested\":{\"x\":1,\"z\":3}}", merged.body().get("public_metadata").toString());
        assertEquals("{\"stripe\":\"cus_1\"}", merged.body().get("private_metadata").toString(), "not given: kept");

        // PATCH /v1/organizations/{id} and PUT .../metadata replace what they are given
        var updated = backend.patch("/v1/organizations/" + id, body("name", "Meta Renamed",
                "private_metadata", Map.of("tier", 2)));
        assertEquals(200, updated.status(), updated.toString());
        assertEquals("Meta Renamed", updated.text("name"));
        assertEquals("{\"tier\":2}", updated.body().get("private_metadata").toString());
        assertEquals("{\"nested\":{\"x\":1,\"z\":3}}", updated.body().get("public_metadata").toString());
        var replaced = backend.put("/v1/organizations/" + id + "/metadata", body("public_metadata", Map.of("b", true)));
        assertEquals(200, replaced.status(), replaced.toString());
        assertEquals("{\"b\":true}", replaced.body().get("public_metadata").toString());
        assertEquals("{\"tier\":2}", replaced.body().get("private_metadata").toString());
        JsonNode listed = null;
        for (JsonNode o : backend.get("/v1/organizations?query=Meta%20Renamed&limit=100").body().get("data")) {
            if (o.get("id").asText().equals(id)) listed = o;
        }
        assertEquals("{\"b\":true}", listed == null ? "missing" : listed.get("public_metadata").toString(), "listed");

        // a member sees the public metadata of their organization, never the private one
        assertEquals(200, creator.api().put("/api/session/active-organization", body("organizationId", id)).status());
        JsonNode seen = creator.api().get("/api/organization").body();
        assertEquals("{\"b\":true}", seen.get("publicMetadata").toString(), seen.toString());
        assertFalse(seen.toString().contains("tier"), seen.toString());
        assertFalse(creator.api().get("/api/organizations").body().toString().contains("tier"));
        String audit = creator.api().get("/api/audit-events").body().get("data").toString();
        assertTrue(audit.contains("organization.metadata_updated") && audit.contains("secret_key:"), audit);
        assertEquals(404, backend.patch("/v1/organizations/" + UUID.randomUUID() + "/metadata",
                body("public_metadata", Map.of("a", 1))).status());
    }

    @Test
    void bad_metadata_is_refused_and_changes_nothing() {
        Api backend = backend();
        User creator = user();
        String id = createOrganization(backend, creator, "Meta Limits");
        // exactly 8 KB of compact JSON is kept; one byte more is refused
        assertEquals(200, backend.put("/v1/organizations/" + id + "/metadata",
                body("private_metadata", ofBytes(8192))).status());
        String kept = backend.get("/v1/organizations/" + id).body().get("private_metadata").toString();
        for (Object bad : List.of(ofBytes(8193), List.of(1, 2), "text", 42, true, Map.of("k", "a\u0000b"),
                Map.of("a\u0000", 1), BackendUserApiTest.deep(20))) {
            for (String path : List.of("/v1/organizations/" + id + "/metadata", "/v1/organizations/" + id)) {
                var refused = backend.patch(path, body("private_metadata", bad));
                assertEquals(422, refused.status(), path + " " + refused);
                assertEquals("form_param_invalid", code(refused), refused.toString());
                assertEquals("private_metadata", param(refused), refused.toString());
            }
            assertEquals(422, backend.put("/v1/organizations/" + id + "/metadata",
                    body("private_metadata", bad)).status());
        }
        // a merge that would pass 8 KB in all is refused too, and so is a create with too much
        assertEquals(422, backend.patch("/v1/organizations/" + id + "/metadata",
                body("private_metadata", Map.of("more", "y"))).status());
        assertEquals(kept, backend.get("/v1/organizations/" + id).body().get("private_metadata").toString(),
                "nothing changed");
        assertEquals("{}", backend.get("/v1/organizations/" + id).body().get("public_metadata").toString());
        var tooBig = backend.post("/v1/organizations", body("name", "Too Big", "created_by", creator.id(),
                "public_metadata", ofBytes(8193)));
        assertEquals(422, tooBig.status());
        assertEquals("public_metadata", param(tooBig));
        assertEquals(1, creator.api().get("/api/me").body().get("organizations").size(), "nothing was created");
    }

    @Test
    void parallel_merges_of_different_keys_lose_nothing() throws Exception {
        Api backend = backend();
        User admin = user();
        String org = createOrganization(backend, admin, "Merge Race");
        int n = 8;
        List<Callable<Integer>> merges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = "k" + i;
            merges.add(() -> backend.patch("/v1/organizations/" + org + "/metadata",
                    body("public_metadata", Map.of(key, Map.of("n", 1)))).status());
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(merges, 60, TimeUnit.SECONDS)) statuses.add(f.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 200), statuses);
        JsonNode metadata = backend.get("/v1/organizations/" + org).body().get("public_metadata");
        assertEquals(n, metadata.size(), metadata.toString());
        for (int i = 0; i < n; i++) assertTrue(metadata.has("k" + i), metadata.toString());
    }
}
