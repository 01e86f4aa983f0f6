package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static com.orgkeys.bootstrap.api.ApiKeyLifecycleApiTest.permissions;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * User-owned API keys over HTTP (issue 25, Clerk's subject): a member's key acts as them, with no more than they hold
 * now, and ends when they leave; lists filter by subject.
 */
class UserOwnedApiKeyApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An admin of a new organization with two roles: keymaker (agents read and manage), reader (agents read). */
    static Api organizationWithRoles(String name) {
        Api admin = server.signUp("u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        assertEquals(201, admin.post("/api/organizations", body("name", name)).status());
        assertEquals(201, admin.post("/api/roles", body("key", "org:keymaker", "name", "Key maker", "permissions",
                List.of("org:sys_api_keys:manage", "org:sys_api_keys:read", "org:agents:read", "org:agents:manage"))).status());
        assertEquals(201, admin.post("/api/roles", body("key", "org:reader", "name", "Reader", "permissions",
                List.of("org:sys_api_keys:manage", "org:sys_api_keys:read", "org:agents:read"))).status());
        return admin;
    }

    static Api member(TestServer on, Api admin, String role) {
        String email = "m" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Api member = on.signUp(email);
        String url = admin.post("/api/invitations", body("email", email, "role", role)).text("acceptUrl");
        assertEquals(200, member.post("/api/invitations/accept", body("token", url.substring(url.indexOf("token=") + 6))).status());
        return member;
    }

    @Test
    void a_members_key_acts_as_them_narrows_when_they_are_demoted_and_ends_when_they_leave() {
        Api admin = organizationWithRoles("Owned Inc");
        Api bob = member(server, admin, "org:keymaker");
        String bobId = bob.get("/api/whoami").text("userId");

        var created = bob.post("/api/api-keys", body("name", "bob's laptop", "subject", "user",
                "scopes", List.of("org:agents:read", "org:agents:manage")));
        assertEquals(201, created.status(), created.toString());
        assertEquals("user", created.body().get("subject").get("type").asText());
        assertEquals(bobId, created.body().get("subject").get("id").asText());
        var organizations = admin.post("/api/api-keys", body("name", "ci"));
        assertEquals("organization", organizations.body().get("subject").get("type").asText());
        Api program = server.anonymous().withBearer(created.text("secret"));
        assertEquals(List.of("org:agents:read", "org:agents:manage"), permissions(program));

        var mine = admin.get("/api/api-keys?subject=user:" + bobId);
        assertEquals(200, mine.status(), mine.toString());
        assertEquals(1, mine.body().get("data").size());
        assertEquals(created.text("id"), mine.body().get("data").get(0).get("id").asText());
        var own = admin.get("/api/api-keys?subject=organization").body().get("data");
        assertEquals(1, own.size());
        assertEquals(organizations.text("id"), own.get(0).get("id").asText());
        var bad = admin.get("/api/api-keys?subject=everyone");
        assertEquals(422, bad.status());
        assertEquals("subject", bad.body().get("errors").get(0).get("field").asText());
        var forAlice = bob.post("/api/api-keys", body("name", "not mine", "subject", "user:" + admin.get("/api/whoami").text("userId")));
        assertEquals(422, forAlice.status(), "a member makes keys for themselves only");

        assertEquals(200, admin.patch("/api/members/" + bobId, body("role", "org:reader")).status());
        assertEquals(List.of("org:agents:read"), permissions(program));
        assertEquals(403, program.post("/api/agents", body("name", "after the demotion", "model", "m")).status());
        var stored = admin.get("/api/api-keys/" + created.text("id"));
        assertEquals(2, stored.body().get("scopes").size(), "the key keeps its own scopes; the user's bound them");

        assertEquals(204, bob.delete("/api/members/" + bobId).status());
        assertEquals(401, program.get("/api/whoami").status());
        var revoked = admin.get("/api/api-keys/" + created.text("id"));
        assertEquals("revoked", revoked.text("status"));
        assertEquals("owner_left", revoked.text("revocationReason"));
        assertEquals(200, server.anonymous().withBearer(organizations.text("secret")).get("/api/whoami").status(),
                "the organization's keys do not depend on who made them");
    }

    @Test
    void deleting_a_user_revokes_their_keys_in_every_organization() {
        Api admin = organizationWithRoles("Deleted Inc");
        Api otherAdmin = organizationWithRoles("Other Inc");
        Api carol = member(server, admin, "org:keymaker");
        String carolId = carol.get("/api/whoami").text("userId");
        var here = carol.post("/api/api-keys", body("name", "carol's", "subject", "user"));
        assertEquals(201, here.status(), here.toString());
        String url = otherAdmin.post("/api/invitations", body("email", carol.get("/api/me").body().get("user").get("email").asText(),
                "role", "org:keymaker")).text("acceptUrl");
        assertEquals(200, carol.post("/api/invitations/accept", body("token", url.substring(url.indexOf("token=") + 6))).status());
        String otherOrganization = otherAdmin.get("/api/whoami").text("organizationId");
        assertEquals(200, carol.put("/api/session/active-organization", body("organizationId", otherOrganization)).status());
        var there = carol.post("/api/api-keys", body("name", "carol's other", "subject", "user"));
        assertEquals(201, there.status(), there.toString());
        Api backend = server.anonymous().withBearer(SecretKeys.create(server, "deleting").secret());

        assertEquals(200, backend.delete("/v1/users/" + carolId).status());

        assertEquals(401, server.anonymous().withBearer(here.text("secret")).get("/api/whoami").status());
        assertEquals(401, server.anonymous().withBearer(there.text("secret")).get("/api/whoami").status());
        assertEquals("owner_deleted", admin.get("/api/api-keys/" + here.text("id")).text("revocationReason"));
        assertEquals("owner_deleted", otherAdmin.get("/api/api-keys/" + there.text("id")).text("revocationReason"));
    }

    @Test
    void a_member_without_the_key_permissions_has_personal_keys_and_nothing_else() {
        Api admin = organizationWithRoles("Personal Inc");
        Api dave = member(server, admin, "org:member"); // agents read and manage, no key permission
        Api erin = member(server, admin, "org:member");
        String daveId = dave.get("/api/whoami").text("userId");
        String organizationKey = admin.post("/api/api-keys", body("name", "ci")).text("id");
        String erinsKey = erin.post("/api/api-keys", body("name", "erin's", "subject", "user")).text("id");

        assertEquals(403, dave.post("/api/api-keys", body("name", "for the organization")).status(),
                "without the permission, no organization key");
        var created = dave.post("/api/api-keys", body("name", "dave's laptop", "subject", "user"));
        assertEquals(201, created.status(), created.toString());
        assertEquals(daveId, created.body().get("subject").get("id").asText());
        assertEquals(List.of("org:agents:read", "org:agents:manage"), permissions(server.anonymous().withBearer(created.text("secret"))));
        String id = created.text("id");

        var list = dave.get("/api/api-keys");
        assertEquals(200, list.status(), list.toString());
        assertEquals(1, list.body().get("data").size(), "their own keys only");
        assertEquals(id, list.body().get("data").get(0).get("id").asText());
        assertEquals(1, dave.get("/api/api-keys?subject=user").body().get("data").size());
        assertEquals(403, dave.get("/api/api-keys?subject=organization").status());
        assertEquals(403, dave.get("/api/api-keys?subject=user:" + erin.get("/api/whoami").text("userId")).status());

        assertEquals(200, dave.get("/api/api-keys/" + id).status());
        assertEquals(200, dave.get("/api/api-keys/" + id + "/usage?days=7").status());
        assertEquals("renamed", dave.patch("/api/api-keys/" + id, body("name", "renamed")).text("name"));
        assertEquals(200, dave.put("/api/api-keys/" + id + "/rate-limit", body("requests", 100, "windowSeconds", 60)).status());
        assertEquals(200, dave.put("/api/api-keys/" + id + "/allowlist", body("allowlist", List.of("192.0.2.0/24"))).status());
        // on their own key a member only narrows: what an admin set (or they did) is not theirs to lift
        assertEquals(200, dave.put("/api/api-keys/" + id + "/allowlist", body("allowlist", List.of("192.0.2.8/30"))).status());
        assertEquals(200, dave.put("/api/api-keys/" + id + "/rate-limit", body("requests", 50, "windowSeconds", 60)).status());
        assertEquals(403, dave.put("/api/api-keys/" + id + "/allowlist", body("allowlist", List.of("192.0.2.0/24"))).status());
        assertEquals(403, dave.put("/api/api-keys/" + id + "/allowlist", body("allowlist", List.of())).status());
        assertEquals(403, dave.put("/api/api-keys/" + id + "/rate-limit", body("requests", 100, "windowSeconds", 60)).status());
        assertEquals(403, dave.put("/api/api-keys/" + id + "/rate-limit", body("requests", 50, "windowSeconds", 30)).status());
        assertEquals(403, dave.delete("/api/api-keys/" + id + "/rate-limit").status());
        assertEquals(200, admin.delete("/api/api-keys/" + id + "/rate-limit").status(), "an admin may lift it");
        assertEquals(200, admin.put("/api/api-keys/" + id + "/allowlist", body("allowlist", List.of())).status());
        assertEquals("disabled", dave.post("/api/api-keys/" + id + "/disable", null).text("status"));
        assertEquals(403, dave.post("/api/api-keys/" + id + "/enable", null).status(), "a stop is lifted by an admin");
        assertEquals("active", admin.post("/api/api-keys/" + id + "/enable", null).text("status"));
        var rotated = dave.post("/api/api-keys/" + id + "/rotate", body("gracePeriodSeconds", 0));
        assertEquals(200, rotated.status(), rotated.toString());
        assertEquals(200, server.anonymous().withBearer(rotated.text("secret")).get("/api/whoami").status());
        assertEquals("revoked", dave.post("/api/api-keys/" + id + "/revoke", null).text("status"));
        assertEquals(204, dave.delete("/api/api-keys/" + id).status());

        // another member's key and the organization's are not there for them: 404, as another organization's are
        for (String other : List.of(organizationKey, erinsKey)) {
            assertEquals(404, dave.get("/api/api-keys/" + other).status());
            assertEquals(404, dave.get("/api/api-keys/" + other + "/usage").status());
            assertEquals(404, dave.patch("/api/api-keys/" + other, body("name", "mine now")).status());
            assertEquals(404, dave.post("/api/api-keys/" + other + "/rotate", null).status());
            assertEquals(404, dave.post("/api/api-keys/" + other + "/disable", null).status());
            assertEquals(404, dave.post("/api/api-keys/" + other + "/revoke", null).status());
            assertEquals(404, dave.put("/api/api-keys/" + other + "/allowlist", body("allowlist", List.of("192.0.2.0/24"))).status());
            assertEquals(404, dave.delete("/api/api-keys/" + other + "/rate-limit").status());
            assertEquals(404, dave.delete("/api/api-keys/" + other).status());
            assertEquals("active", admin.get("/api/api-keys/" + other).text("status"), "nothing changed");
        }
        // managers keep seeing and managing every key, personal ones included
        assertEquals(2, admin.get("/api/api-keys").body().get("data").size(), "the organization's and Erin's (Dave's is deleted)");
        assertEquals("revoked", admin.post("/api/api-keys/" + erinsKey + "/revoke", null).text("status"));
    }
}
