package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every agents route with both auth methods, scopes, isolation between organizations, and validation. */
class AgentApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An organization with an admin session and a read/write key and a read-only key. */
    record Org(Api session, Api writer, Api reader, String id) {
    }

    static Org newOrganization() {
        Api admin = server.signUp("u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        String id = admin.post("/api/organizations", body("name", "Agents Co")).text("id");
        String writer = admin.post("/api/api-keys", body("name", "writer")).text("secret");
        String reader = admin.post("/api/api-keys", body("name", "reader", "scopes", List.of("org:agents:read"))).text("secret");
        return new Org(admin, server.anonymous().withBearer(writer), server.anonymous().withBearer(reader), id);
    }

    @Test
    void both_a_session_and_a_key_can_list_create_get_and_delete() {
        Org org = newOrganization();
        for (Api caller : List.of(org.session(), org.writer())) {
            var created = caller.post("/api/agents", body("name", "Support bot", "description", "answers tickets", "model", "gpt-4o"));
            assertEquals(201, created.status(), created.toString());
            String id = created.text("id");
            assertTrue(id.startsWith("agt_"), id);
            assertEquals("/api/agents/" + id, created.header("Location"));
            assertEquals(200, caller.get("/api/agents/" + id).status());
            assertEquals(1, caller.get("/api/agents").body().get("totalCount").asInt());
            assertEquals(204, caller.delete("/api/agents/" + id).status());
            assertEquals(404, caller.get("/api/agents/" + id).status());
        }
    }

    @Test
    void created_by_is_the_user_or_the_key() {
        Org org = newOrganization();
        String userId = org.session().get("/api/me").body().get("user").get("id").asText();
        String keyId = org.writer().get("/api/whoami").text("keyId");
        assertEquals(userId, org.session().post("/api/agents", body("name", "a", "model", "m")).text("createdBy"));
        assertEquals(keyId, org.writer().post("/api/agents", body("name", "b", "model", "m")).text("createdBy"));
    }

    @Test
    void read_only_key_can_read_but_not_create_or_delete() {
        Org org = newOrganization();
        String id = org.session().post("/api/agents", body("id", "bot-1", "name", "Bot", "model", "m")).text("id");
        assertEquals(200, org.reader().get("/api/agents").status());
        assertEquals(200, org.reader().get("/api/agents/" + id).status());
        var create = org.reader().post("/api/agents", body("name", "x", "model", "m"));
        assertEquals(403, create.status());
        assertEquals("Bearer realm=\"orgkeys\", error=\"insufficient_scope\"", create.header("WWW-Authenticate"));
        assertTrue(create.text("detail").contains("org:agents:manage"));
        assertEquals(403, org.reader().delete("/api/agents/" + id).status());
        assertEquals(403, org.reader().delete("/api/agents", body("agentId", id)).status());
        assertEquals(1, org.session().get("/api/agents").body().get("totalCount").asInt());
    }

    @Test
    void organizations_never_see_or_delete_each_others_agents() {
        Org a = newOrganization();
        Org b = newOrganization();
        String id = b.session().post("/api/agents", body("id", "shared-name", "name", "B's", "model", "m")).text("id");
        for (Api caller : List.of(a.session(), a.writer())) {
            assertEquals(404, caller.get("/api/agents/" + id).status());
            assertEquals(404, caller.delete("/api/agents/" + id).status());
            assertEquals(404, caller.delete("/api/agents", body("agentId", id)).status());
            assertEquals(0, caller.get("/api/agents").body().get("totalCount").asInt());
        }
        // the same id is free in another organization
        assertEquals(201, a.writer().post("/api/agents", body("id", "shared-name", "name", "A's", "model", "m")).status());
        assertEquals("B's", b.writer().get("/api/agents/" + id).text("name"));
    }

    @Test
    void clashing_id_is_409() {
        Org org = newOrganization();
        assertEquals(201, org.writer().post("/api/agents", body("id", "dup", "name", "one", "model", "m")).status());
        var clash = org.writer().post("/api/agents", body("id", "dup", "name", "two", "model", "m"));
        assertEquals(409, clash.status());
        assertEquals("one", org.writer().get("/api/agents/dup").text("name"));
    }

    @Test
    void invalid_fields_are_422_each_named() {
        Org org = newOrganization();
        var response = org.writer().post("/api/agents", body("id", "has space", "name", "", "description", "x".repeat(1001), "model", ""));
        assertEquals(422, response.status());
        Set<String> fields = new HashSet<>();
        response.body().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(Set.of("id", "name", "description", "model"), fields);
        assertEquals(422, org.writer().post("/api/agents", body("name", "x")).status(), "model is required");
        var unknown = org.writer().post("/api/agents", body("name", "x", "model", "m", "owner", "me"));
        assertEquals(422, unknown.status());
        assertEquals("owner", unknown.body().get("errors").get(0).get("field").asText());
        assertEquals(400, org.writer().post("/api/agents", "{\"name\": ").status());
        assertEquals(415, org.writer().send("POST", "/api/agents", null).status());
        assertEquals(0, org.writer().get("/api/agents").body().get("totalCount").asInt());
    }

    @Test
    void compatibility_delete_with_a_body() {
        Org org = newOrganization();
        String id = org.writer().post("/api/agents", body("name", "old", "model", "m")).text("id");
        assertEquals(204, org.writer().delete("/api/agents", body("agentId", id)).status());
        assertEquals(404, org.writer().delete("/api/agents", body("agentId", id)).status());
        assertEquals(422, org.writer().delete("/api/agents", body("other", "x")).status());
    }

    @Test
    void list_is_newest_first_and_paginated() {
        Org org = newOrganization();
        for (int i = 1; i <= 3; i++) org.writer().post("/api/agents", body("id", "a" + i, "name", "n" + i, "model", "m"));
        var page = org.writer().get("/api/agents?pageSize=2");
        assertEquals(3, page.body().get("totalCount").asInt());
        assertEquals("a3", page.body().get("data").get(0).get("id").asText());
        assertEquals("a1", org.writer().get("/api/agents?pageSize=2&initialPage=2").body().get("data").get(0).get("id").asText());
    }

    @Test
    void a_bearer_header_wins_over_a_cookie_and_is_never_mixed() {
        Org a = newOrganization();
        Org b = newOrganization();
        b.session().post("/api/agents", body("id", "b-agent", "name", "B", "model", "m"));
        String bCookie = b.session().sessionCookie().orElseThrow();
        String aKey = a.writer().bearer();

        Api mixed = server.anonymous().withSessionCookie(bCookie).andBearer(aKey);
        var whoami = mixed.get("/api/whoami");
        assertEquals("api_key", whoami.text("type"));
        assertEquals(a.id(), whoami.text("organizationId"));
        assertEquals(404, mixed.get("/api/agents/b-agent").status(), "B's cookie adds nothing to A's key");
        // a bad key with a good cookie is refused, not quietly served by the cookie
        assertEquals(401, server.anonymous().withSessionCookie(bCookie).andBearer("ok_bad").get("/api/agents").status());
        assertEquals(200, server.anonymous().withSessionCookie(bCookie).get("/api/agents/b-agent").status());
    }

    @Test
    void whoami_describes_a_session_too() {
        Org org = newOrganization();
        var whoami = org.session().get("/api/whoami");
        assertEquals("session", whoami.text("type"));
        assertEquals(org.id(), whoami.text("organizationId"));
        assertEquals(com.orgkeys.domain.membership.Permission.ALL.size(), whoami.body().get("permissions").size());
        assertEquals(401, server.anonymous().get("/api/whoami").status());
    }
}
