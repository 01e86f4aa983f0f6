package com.orgkeys.bootstrap.api;

import com.orgkeys.domain.apikey.ApiKeySecret;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String email() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static Api adminOfNewOrganization() {
        Api admin = server.signUp(email());
        assertEquals(201, admin.post("/api/organizations", body("name", "Keys Inc")).status());
        return admin;
    }

    @Test
    void created_key_shows_its_secret_once_and_only_a_hash_is_stored() throws Exception {
        Api admin = adminOfNewOrganization();
        var created = admin.post("/api/api-keys", body("name", "CI deploy", "description", "for the pipeline"));
        assertEquals(201, created.status(), created.toString());
        String secret = created.text("secret");
        assertTrue(ApiKeySecret.SCANNER_REGEX.matcher(secret).matches(), secret);
        assertEquals("active", created.text("status"));
        assertEquals("ok_…" + secret.substring(secret.length() - 4), created.text("hint"));
        assertEquals(List.of("org:agents:read", "org:agents:manage"),
                Api.json.convertValue(created.body().get("scopes"), List.class));
        assertNull(created.text("expiresAt"));
        assertEquals(admin.get("/api/me").body().get("user").get("id").asText(), created.text("createdBy"));

        var fetched = admin.get("/api/api-keys/" + created.text("id"));
        assertEquals(200, fetched.status());
        assertFalse(fetched.body().has("secret"));
        assertFalse(admin.get("/api/api-keys").raw().contains(secret));

        try (var connection = TestPostgres.connect(server.database)) {
            var rows = connection.createStatement().executeQuery("SELECT * FROM api_keys");
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    String value = rows.getString(i);
                    assertFalse(value != null && value.contains(secret.substring(3, 20)), "secret stored in column " + i);
                }
            }
        }
    }

    @Test
    void the_key_authenticates_as_its_organization_with_its_scopes() {
        Api admin = adminOfNewOrganization();
        String org = admin.get("/api/organization").text("id");
        var created = admin.post("/api/api-keys", body("name", "reader", "scopes", List.of("org:agents:read")));
        var whoami = server.anonymous().withBearer(created.text("secret")).get("/api/whoami");
        assertEquals(200, whoami.status(), whoami.toString());
        assertEquals("api_key", whoami.text("type"));
        assertEquals(org, whoami.text("organizationId"));
        assertEquals(created.text("id"), whoami.text("keyId"));
        assertEquals(1, whoami.body().get("permissions").size());
    }

    @Test
    void revoked_key_is_rejected_on_the_next_request_and_revoking_again_keeps_the_first_reason() {
        Api admin = adminOfNewOrganization();
        var created = admin.post("/api/api-keys", body("name", "to revoke"));
        Api program = server.anonymous().withBearer(created.text("secret"));
        assertEquals(200, program.get("/api/whoami").status());

        var revoked = admin.post("/api/api-keys/" + created.text("id") + "/revoke", body("revocationReason", "leaked in a log"));
        assertEquals(200, revoked.status(), revoked.toString());
        assertEquals("revoked", revoked.text("status"));
        assertEquals("leaked in a log", revoked.text("revocationReason"));
        assertNotNull(revoked.text("revokedAt"));
        var unauthorized = program.get("/api/whoami");
        assertEquals(401, unauthorized.status());
        assertEquals("application/problem+json", unauthorized.header("Content-Type"));
        assertEquals("Bearer realm=\"orgkeys\", error=\"invalid_token\"", unauthorized.header("WWW-Authenticate"));

        var again = admin.post("/api/api-keys/" + created.text("id") + "/revoke", body("revocationReason", "second"));
        assertEquals(200, again.status());
        assertEquals("leaked in a log", again.text("revocationReason"));
        assertEquals(revoked.text("revokedAt"), again.text("revokedAt"));
        assertEquals(200, admin.post("/api/api-keys/" + created.text("id") + "/revoke", null).status());
    }

    @Test
    void expired_key_is_rejected() {
        Api admin = adminOfNewOrganization();
        var created = admin.post("/api/api-keys", body("name", "short-lived", "secondsUntilExpiration", 60));
        assertEquals(201, created.status());
        assertNotNull(created.text("expiresAt"));
        Api program = server.anonymous().withBearer(created.text("secret"));
        assertEquals(200, program.get("/api/whoami").status(), "usable until it expires");

        // The lookup just made is cached (by the JVM's nanoTime, not the clock): expiry must be checked past the cache.
        server.clock.advance(Duration.ofSeconds(60));
        var refused = program.get("/api/whoami");
        assertEquals(401, refused.status(), refused.toString());
        assertEquals("expired", admin.get("/api/api-keys/" + created.text("id")).text("status"));
    }

    @Test
    void malformed_or_mistyped_keys_are_401() {
        Api admin = adminOfNewOrganization();
        String secret = admin.post("/api/api-keys", body("name", "k")).text("secret");
        char last = secret.charAt(secret.length() - 1);
        String typo = secret.substring(0, secret.length() - 1) + (last == 'a' ? 'b' : 'a');
        for (String bad : new String[]{typo, "ok_short", "garbage", secret + "x", ""}) {
            assertEquals(401, server.anonymous().withBearer(bad).get("/api/whoami").status(), bad);
        }
        var basic = server.anonymous().send("GET", "/api/whoami", null);
        assertEquals(401, basic.status());
    }

    @Test
    void create_validates_every_field() {
        Api admin = adminOfNewOrganization();
        var invalid = admin.post("/api/api-keys", body("name", "", "scopes", List.of("org:nope:read"),
                "secondsUntilExpiration", 0));
        assertEquals(422, invalid.status());
        var fields = new java.util.HashSet<String>();
        invalid.body().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(java.util.Set.of("name", "scopes", "secondsUntilExpiration"), fields);
        assertEquals(422, admin.post("/api/api-keys", body("name", "x", "secondsUntilExpiration", 400_000_000L)).status());
        assertEquals(422, admin.post("/api/api-keys", body("name", "x", "secondsUntilExpiration", "soon")).status());
        assertEquals(0, admin.get("/api/api-keys").body().get("totalCount").asInt());
    }

    /** The core names its own fields (page, lifetime, reason, text); the API answers with the names it documents. */
    @Test
    void field_errors_name_the_api_fields_where_the_core_names_them_differently() {
        Api admin = adminOfNewOrganization();
        String id = admin.post("/api/api-keys", body("name", "k")).text("id");

        assertEquals("page", coreField(() -> new PageRequest(0, 10)));
        assertEquals(List.of("initialPage: must be 1–1000000"), errors(admin.get("/api/api-keys?initialPage=0")));
        assertEquals(List.of("initialPage: must be 1–1000000"), errors(admin.get("/api/agents?initialPage=0")));
        assertEquals(List.of("secondsUntilExpiration: must be 1–315619200 (10 years)"),
                errors(admin.post("/api/api-keys", body("name", "x", "secondsUntilExpiration", 0))));
        assertEquals(List.of("revocationReason: must be at most 500 characters"),
                errors(admin.post("/api/api-keys/" + id + "/revoke", body("revocationReason", "r".repeat(501)))));
        assertEquals(List.of("query: must not contain control characters"), errors(admin.get("/api/api-keys?query=a%01b")));
        assertEquals(List.of("status: must be one of active, disabled, revoked, expired, all"),
                errors(admin.get("/api/api-keys?status=bogus")));
    }

    private static String coreField(Runnable core) {
        return assertThrows(InvalidInputException.class, core::run).errors().getFirst().field();
    }

    private static List<String> errors(Api.Response response) {
        assertEquals(422, response.status(), response.toString());
        var errors = new java.util.ArrayList<String>();
        response.body().get("errors").forEach(e -> errors.add(e.get("field").asText() + ": " + e.get("message").asText()));
        return errors;
    }

    @Test
    void list_searches_filters_by_status_and_paginates_newest_first() {
        Api admin = adminOfNewOrganization();
        for (int i = 1; i <= 5; i++) {
            assertEquals(201, admin.post("/api/api-keys", body("name", "key " + i, "description", i % 2 == 0 ? "Billing job" : "")).status());
        }
        String revokeId = admin.get("/api/api-keys?query=key%201").body().get("data").get(0).get("id").asText();
        admin.post("/api/api-keys/" + revokeId + "/revoke", null);

        var page = admin.get("/api/api-keys?pageSize=2&initialPage=1");
        assertEquals(5, page.body().get("totalCount").asInt());
        assertEquals("key 5", page.body().get("data").get(0).get("name").asText());
        assertEquals("key 4", page.body().get("data").get(1).get("name").asText());
        assertEquals("key 1", admin.get("/api/api-keys?pageSize=2&initialPage=3").body().get("data").get(0).get("name").asText());
        assertEquals(2, admin.get("/api/api-keys?query=BILLING").body().get("totalCount").asInt());
        assertEquals(4, admin.get("/api/api-keys?status=active").body().get("totalCount").asInt());
        assertEquals(1, admin.get("/api/api-keys?status=revoked").body().get("totalCount").asInt());
        assertEquals(5, admin.get("/api/api-keys?status=all").body().get("totalCount").asInt());
        assertEquals(422, admin.get("/api/api-keys?status=bogus").status());
        assertEquals(422, admin.get("/api/api-keys?pageSize=0").status());
        assertEquals(0, admin.get("/api/api-keys?query=%25").body().get("totalCount").asInt(), "% is literal, not a wildcard");
    }

    @Test
    void permissions_and_organizations_confine_key_management() {
        Api admin = adminOfNewOrganization();
        String keyId = admin.post("/api/api-keys", body("name", "a's key")).text("id");
        String memberEmail = email();
        Api member = server.signUp(memberEmail);
        var invitation = admin.post("/api/invitations", body("email", memberEmail, "role", "org:member"));
        String url = invitation.text("acceptUrl");
        member.post("/api/invitations/accept", body("token", url.substring(url.indexOf("token=") + 6)));

        // a member without the key permissions has personal keys only: none of the organization's are theirs to see
        var ownOnly = member.get("/api/api-keys");
        assertEquals(200, ownOnly.status());
        assertEquals(0, ownOnly.body().get("totalCount").asInt());
        assertEquals(404, member.get("/api/api-keys/" + keyId).status());
        assertEquals(404, member.post("/api/api-keys/" + keyId + "/revoke", null).status());
        var forbidden = member.post("/api/api-keys", body("name", "for the organization"));
        assertEquals(403, forbidden.status());
        assertTrue(forbidden.text("detail").contains("org:sys_api_keys:manage"), forbidden.text("detail"));

        Api otherAdmin = adminOfNewOrganization();
        assertEquals(404, otherAdmin.get("/api/api-keys/" + keyId).status());
        assertEquals(404, otherAdmin.post("/api/api-keys/" + keyId + "/revoke", null).status());
        assertEquals(404, otherAdmin.get("/api/api-keys/not-a-uuid").status());
        assertEquals(0, otherAdmin.get("/api/api-keys").body().get("totalCount").asInt());
        assertEquals("active", admin.get("/api/api-keys/" + keyId).text("status"));
    }

    @Test
    void keys_carry_feature_permissions_only_and_cannot_manage_keys_members_or_the_organization() {
        Api admin = adminOfNewOrganization();
        var refused = admin.post("/api/api-keys", body("name", "all", "scopes",
                List.of("org:sys_api_keys:manage", "org:agents:read")));
        assertEquals(422, refused.status());
        assertEquals("scopes", refused.body().get("errors").get(0).get("field").asText());
        assertTrue(refused.body().get("errors").get(0).get("message").asText().contains("feature permissions only"));

        Api key = server.anonymous().withBearer(admin.post("/api/api-keys", body("name", "agents")).text("secret"));
        assertEquals(403, key.post("/api/api-keys", body("name", "child")).status());
        assertEquals(403, key.get("/api/members").status());
        assertEquals(403, key.patch("/api/organization", body("name", "taken over")).status());
        assertEquals(403, key.delete("/api/organization").status());
        assertEquals(1, admin.get("/api/api-keys").body().get("totalCount").asInt());
    }

    @Test
    void key_keeps_working_after_its_creator_leaves_the_organization() {
        Api founder = adminOfNewOrganization();
        String secondEmail = email();
        Api second = server.signUp(secondEmail);
        var invitation = founder.post("/api/invitations", body("email", secondEmail, "role", "org:admin"));
        String url = invitation.text("acceptUrl");
        second.post("/api/invitations/accept", body("token", url.substring(url.indexOf("token=") + 6)));
        String secret = founder.post("/api/api-keys", body("name", "lasting")).text("secret");
        String founderId = founder.get("/api/me").body().get("user").get("id").asText();
        assertEquals(204, founder.delete("/api/members/" + founderId).status());
        assertEquals(200, server.anonymous().withBearer(secret).get("/api/whoami").status());
    }
}
