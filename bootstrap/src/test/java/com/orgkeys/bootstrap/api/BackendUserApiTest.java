package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend API's /v1/users and /v1/sessions, in Clerk's shapes, with a backend secret key; and /api/account/metadata. */
class BackendUserApiTest {
    static TestServer server;
    static Api backend;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        backend = server.anonymous().withBearer(SecretKeys.create(server, "backend").secret());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String email() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static String userId(Api signedIn) {
        return signedIn.get("/api/me").body().get("user").get("id").asText();
    }

    static String errorCode(Api.Response response) {
        return response.body().get("errors").get(0).get("code").asText();
    }

    @Test
    void create_get_list_count_update_and_delete_in_clerks_shapes() {
        String email = email();
        long before = System.currentTimeMillis();
        var created = backend.post("/v1/users", Map.of("email_address", List.of(email.toUpperCase()),
                "password", "a long enough passphrase 42", "first_name", "Ada", "last_name", "Lovelace",
                "public_metadata", Map.of("plan", "pro"), "private_metadata", Map.of("stripe", "cus_1")));
        assertEquals(200, created.status(), created.toString());
        JsonNode user = created.body();
        assertEquals("user", user.get("object").asText());
        String id = user.get("id").asText();
        assertEquals("Ada Lovelace", user.get("first_name").asText());
        assertTrue(user.get("last_name").isNull());
        assertEquals(email, user.get("email_addresses").get(0).get("email_address").asText(), "normalised as at sign-up");
        assertEquals(user.get("primary_email_address_id").asText(), user.get("email_addresses").get(0).get("id").asText());
        assertEquals("verified", user.get("email_addresses").get(0).get("verification").get("status").asText());
        assertEquals("{\"plan\":\"pro\"}", user.get("public_metadata").toString());
        assertEquals("{\"stripe\":\"cus_1\"}", user.get("private_metadata").toString());
        assertEquals("{}", user.get("unsafe_metadata").toString());
        assertTrue(user.get("created_at").asLong() >= before - 1000, user.toString());

        // the password works at the ordinary sign-in
        var signIn = server.anonymous().post("/api/auth/sign-in", body("email", email, "password", "a long enough passphrase 42"));
        assertEquals(200, signIn.status(), signIn.toString());

        assertEquals(id, backend.get("/v1/users/" + id).body().get("id").asText());
        var byEmail = backend.get("/v1/users?email_address=" + email + "&email_address=nobody@example.com");
        assertEquals(200, byEmail.status(), byEmail.toString());
        assertEquals(1, byEmail.body().size());
        assertEquals(id, byEmail.body().get(0).get("id").asText());
        assertTrue(byEmail.body().get(0).get("last_sign_in_at").asLong() > 0, "the sign-in above");
        assertEquals(1, backend.get("/v1/users/count?email_address=" + email).body().get("total_count").asInt());
        assertEquals("total_count", backend.get("/v1/users/count").body().get("object").asText());
        var byQuery = backend.get("/v1/users?query=" + email.substring(0, 9) + "&order_by=-created_at&limit=5");
        assertEquals(id, byQuery.body().get(0).get("id").asText(), byQuery.toString());

        var updated = backend.patch("/v1/users/" + id, body("first_name", "Ada King"));
        assertEquals(200, updated.status(), updated.toString());
        assertEquals("Ada King", updated.body().get("first_name").asText());
        // a new password ends the user's sessions, as a password reset does
        Api session = server.anonymous().withSessionCookie(signIn.header("Set-Cookie").split(";")[0].split("=", 2)[1]);
        assertEquals(200, session.get("/api/me").status());
        assertEquals(200, backend.patch("/v1/users/" + id, body("password", "another long passphrase 43")).status());
        assertEquals(401, session.get("/api/me").status());

        var deleted = backend.delete("/v1/users/" + id);
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals("{\"object\":\"user\",\"id\":\"" + id + "\",\"deleted\":true}", deleted.body().toString());
        assertEquals(404, backend.get("/v1/users/" + id).status());
        assertEquals(404, backend.delete("/v1/users/" + id).status());
    }

    @Test
    void metadata_merges_deeply_replaces_and_keeps_its_limits() {
        String id = backend.post("/v1/users", Map.of("email_address", List.of(email()), "first_name", "M",
                "public_metadata", Map.of("a", 1, "nested", Map.of("x", 1, "y", 2)))).body().get("id").asText();
        Map<String, Object> nested = new java.util.HashMap<>();
        nested.put("y", null);
        nested.put("z", 3);
        var merged = backend.patch("/v1/users/" + id + "/metadata", Map.of("public_metadata", Map.of("nested", nested),
                "unsafe_metadata", Map.of("theme", "dark")));
        assertEquals(200, merged.status(), merged.toString());
        assertEquals("{\"a\":1,\"nested\":{\"x\":1,\"z\":3}}", merged.body().get("public_metadata").toString());
        assertEquals("{\"theme\":\"dark\"}", merged.body().get("unsafe_metadata").toString());

        var replaced = backend.put("/v1/users/" + id + "/metadata", Map.of("public_metadata", Map.of("b", true)));
        assertEquals(200, replaced.status(), replaced.toString());
        assertEquals("{\"b\":true}", replaced.body().get("public_metadata").toString());
        assertEquals("{\"theme\":\"dark\"}", replaced.body().get("unsafe_metadata").toString(), "not given: kept");

        // refused, and nothing changes: over 8 KB, not an object, NUL, too deep
        String big = "x".repeat(8200);
        for (Object bad : List.of(Map.of("big", big), List.of(1, 2), "text", 42, Map.of("k", "a\u0000b"),
                Map.of("a\u0000", 1), deep(20))) {
            var refused = backend.patch("/v1/users/" + id + "/metadata", Map.of("private_metadata", bad));
            assertEquals(422, refused.status(), refused.toString());
            assertEquals("private_metadata", refused.body().get("errors").get(0).get("meta").get("param_name").asText(),
                    refused.toString());
        }
        // a merge that would pass 8 KB in all is refused too
        String half = "y".repeat(4500);
        assertEquals(200, backend.patch("/v1/users/" + id + "/metadata", Map.of("private_metadata", Map.of("one", half))).status());
        assertEquals(422, backend.patch("/v1/users/" + id + "/metadata", Map.of("private_metadata", Map.of("two", half))).status());
        var after = backend.get("/v1/users/" + id).body();
        assertEquals("{\"b\":true}", after.get("public_metadata").toString());
        assertEquals(List.of("one"), fieldNames(after.get("private_metadata")));
        assertEquals(422, backend.post("/v1/users", Map.of("email_address", List.of(email()), "first_name", "N",
                "unsafe_metadata", List.of())).status());
    }

    static Map<String, Object> deep(int levels) {
        Map<String, Object> map = Map.of("leaf", 1);
        for (int i = 0; i < levels; i++) map = Map.of("d", map);
        return map;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void bad_input_is_refused_in_clerks_shape() {
        String taken = email();
        assertEquals(200, backend.post("/v1/users", Map.of("email_address", List.of(taken), "first_name", "T")).status());
        var duplicate = backend.post("/v1/users", Map.of("email_address", List.of(" " + taken.toUpperCase()), "first_name", "T"));
        assertEquals(409, duplicate.status(), duplicate.toString());
        assertEquals("conflict", errorCode(duplicate));
        var weak = backend.post("/v1/users", Map.of("email_address", List.of(email()), "first_name", "W", "password", "short"));
        assertEquals(422, weak.status());
        assertEquals("password", weak.body().get("errors").get(0).get("meta").get("param_name").asText());
        assertEquals(422, backend.post("/v1/users", Map.of("email_address", List.of("not an email"), "first_name", "W")).status());
        assertEquals(422, backend.post("/v1/users", Map.of("email_address", List.of(email(), email()), "first_name", "W")).status());
        assertEquals(422, backend.post("/v1/users", Map.of("email_address", List.of(email()), "first_name", "a\u0000b")).status());
        assertEquals(422, backend.post("/v1/users", Map.of("email_address", List.of(email()))).status(), "a name is required");
        assertEquals(422, backend.post("/v1/users", Map.of("email_address", List.of(email()), "first_name", "W",
                "username", "w")).status(), "unsupported fields are refused, not ignored");
        assertEquals(422, backend.get("/v1/users?order_by=-phone_number").status());
        assertEquals(422, backend.get("/v1/users?user_id=" + UUID.randomUUID()).status(), "a filter orgkeys lacks is refused");
        assertEquals(422, backend.get("/v1/users?limit=0").status());
        assertEquals(404, backend.get("/v1/users/not-a-uuid").status());
        assertEquals(404, backend.patch("/v1/users/" + UUID.randomUUID(), body("first_name", "X")).status());
        assertEquals(0, backend.get("/v1/users/count?email_address=" + email()).body().get("total_count").asInt());
    }

    @Test
    void parallel_creates_of_one_email_make_one_user() throws Exception {
        String email = email();
        int n = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    return backend.post("/v1/users", Map.of("email_address", List.of(email), "first_name", "P")).status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) statuses.add(answer.get(60, TimeUnit.SECONDS));
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(n - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        }
        assertEquals(1, backend.get("/v1/users/count?email_address=" + email).body().get("total_count").asInt());
    }

    @Test
    void the_last_admin_of_an_organization_with_members_cannot_be_deleted_and_a_deleted_user_is_signed_out() {
        Api admin = server.signUp(email());
        assertEquals(201, admin.post("/api/organizations", body("name", "Delete Inc")).status());
        String orgId = admin.get("/api/organization").text("id");
        String adminId = userId(admin);
        String memberEmail = email();
        Api member = server.signUp(memberEmail);
        OrganizationApiTest.invite(admin, member, memberEmail, "org:member");
        String memberId = userId(member);

        var refused = backend.delete("/v1/users/" + adminId);
        assertEquals(409, refused.status(), refused.toString());
        assertTrue(refused.body().get("errors").get(0).get("long_message").asText().contains("last admin"), refused.toString());
        assertEquals(200, admin.get("/api/me").status(), "refused: nothing changed");
        assertEquals(200, backend.get("/v1/users/" + adminId).status());

        // the member goes, with their session at once; the organization sees who removed them
        assertEquals(200, member.get("/api/me").status());
        assertEquals(200, backend.delete("/v1/users/" + memberId).status());
        assertEquals(401, member.get("/api/me").status(), "a deleted user's session ends at once");
        var audit = admin.get("/api/audit-events").body().get("data").toString();
        assertTrue(audit.contains("user.deleted") && audit.contains("secret_key:"), audit);

        // alone now, the admin may go; the organization stays, without members
        assertEquals(200, backend.delete("/v1/users/" + adminId).status());
        assertEquals(401, admin.get("/api/me").status());
        assertFalse(orgId.isEmpty());
    }

    @Test
    void sessions_are_listed_got_and_revoked_in_clerks_shape() {
        String email = email();
        Api user = server.signUp(email);
        String id = userId(user);
        var list = backend.get("/v1/sessions?user_id=" + id + "&status=active&paginated=true");
        assertEquals(200, list.status(), list.toString());
        assertEquals(1, list.body().get("total_count").asInt());
        JsonNode session = list.body().get("data").get(0);
        assertEquals("session", session.get("object").asText());
        assertEquals("active", session.get("status").asText());
        assertEquals(id, session.get("user_id").asText());
        String sessionId = session.get("id").asText();
        assertFalse(user.sessionCookie().orElseThrow().contains(sessionId), "the public id is not the cookie");

        assertEquals(sessionId, backend.get("/v1/sessions/" + sessionId).body().get("id").asText());
        var revoked = backend.post("/v1/sessions/" + sessionId + "/revoke", null);
        assertEquals(200, revoked.status(), revoked.toString());
        assertEquals("revoked", revoked.body().get("status").asText());
        assertEquals(401, user.get("/api/me").status(), "revoked on every node: the next request is refused");
        assertEquals(0, backend.get("/v1/sessions?user_id=" + id + "&status=active").body().get("total_count").asInt());
        assertEquals(1, backend.get("/v1/sessions?user_id=" + id + "&status=revoked").body().get("total_count").asInt());
        assertEquals(200, backend.post("/v1/sessions/" + sessionId + "/revoke", null).status(), "again: as it is");

        assertEquals(422, backend.get("/v1/sessions").status(), "user_id is required");
        assertEquals(422, backend.get("/v1/sessions?client_id=x&user_id=" + id).status());
        assertEquals(422, backend.get("/v1/sessions?user_id=" + id + "&status=bogus").status());
        assertEquals(0, backend.get("/v1/sessions?user_id=" + id + "&status=pending").body().get("total_count").asInt());
        assertEquals(404, backend.get("/v1/sessions/" + UUID.randomUUID()).status());
        assertEquals(404, backend.post("/v1/sessions/" + UUID.randomUUID() + "/revoke", null).status());
    }

    @Test
    void the_signed_in_user_reads_public_and_writes_unsafe_metadata_but_never_sees_private() {
        String email = email();
        Api user = server.signUp(email).fromOrigin(server.origin());
        String id = userId(user);
        assertEquals(200, backend.patch("/v1/users/" + id + "/metadata", Map.of("public_metadata", Map.of("plan", "pro"),
                "private_metadata", Map.of("secret", "s3cr3t"))).status());
        var own = user.get("/api/account/metadata");
        assertEquals(200, own.status(), own.toString());
        assertEquals("{\"publicMetadata\":{\"plan\":\"pro\"},\"unsafeMetadata\":{}}", own.body().toString());
        assertFalse(own.raw().contains("s3cr3t"));

        var written = user.patch("/api/account/metadata", Map.of("unsafeMetadata", Map.of("theme", "dark")));
        assertEquals(200, written.status(), written.toString());
        assertEquals("{\"theme\":\"dark\"}", written.body().get("unsafeMetadata").toString());
        assertEquals("{\"theme\":\"dark\"}", backend.get("/v1/users/" + id).body().get("unsafe_metadata").toString());

        assertEquals(422, user.patch("/api/account/metadata", Map.of("unsafeMetadata", Map.of("x", "y".repeat(9000)))).status());
        assertEquals(422, user.patch("/api/account/metadata", Map.of("unsafeMetadata", List.of())).status());
        assertEquals(422, user.patch("/api/account/metadata", Map.of("publicMetadata", Map.of("plan", "free"))).status(),
                "the public metadata is the backend's");
        assertEquals(422, user.patch("/api/account/metadata", Map.of()).status());
        assertEquals("{\"plan\":\"pro\"}", backend.get("/v1/users/" + id).body().get("public_metadata").toString());
        assertEquals(401, server.anonymous().get("/api/account/metadata").status());
    }

    @Test
    void nothing_but_a_secret_key_reaches_the_users_api() {
        Api user = server.signUp(email());
        assertEquals(401, user.get("/v1/users").status());
        assertEquals(401, server.anonymous().get("/v1/users").status());
        assertEquals(401, server.anonymous().get("/v1/sessions?user_id=" + UUID.randomUUID()).status());
    }
}
