package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cursors, capped counts and the agent search on the four paged lists, as a client sees them. */
class PaginationApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An organization with an admin session, a read/write key and a read-only key. */
    record Org(Api session, Api writer, Api reader) {
    }

    static Org newOrganization() {
        Api admin = server.signUp("p" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        admin.post("/api/organizations", body("name", "Pages Co"));
        String writer = admin.post("/api/api-keys", body("name", "writer")).text("secret");
        String reader = admin.post("/api/api-keys", body("name", "reader", "scopes", List.of("org:agents:read"))).text("secret");
        return new Org(admin, server.anonymous().withBearer(writer), server.anonymous().withBearer(reader));
    }

    private static final List<String> LISTS = List.of("/api/api-keys", "/api/agents", "/api/members", "/api/audit-events");

    @Test
    void a_client_walks_a_list_with_next_cursors_and_back_with_previous_cursors() {
        var org = newOrganization();
        for (int i = 1; i <= 5; i++) org.writer().post("/api/agents", body("id", "walk-" + i, "name", "n" + i, "model", "m"));

        List<String> forward = new ArrayList<>();
        List<String> cursors = new ArrayList<>();
        var page = org.writer().get("/api/agents?pageSize=2");
        assertTrue(page.body().get("previousCursor").isNull());
        assertTrue(page.body().get("totalCountExact").asBoolean());
        assertEquals(5, page.body().get("totalCount").asInt());
        ids(page.body()).forEach(forward::add);
        while (!page.body().get("nextCursor").isNull()) {
            String cursor = page.body().get("nextCursor").asText();
            assertTrue(cursor.length() <= 200 && cursor.matches("[A-Za-z0-9_-]+"), cursor);
            cursors.add(cursor);
            page = org.writer().get("/api/agents?pageSize=2&cursor=" + cursor);
            assertEquals(200, page.status(), page.toString());
            ids(page.body()).forEach(forward::add);
        }
        assertEquals(List.of("walk-5", "walk-4", "walk-3", "walk-2", "walk-1"), forward);

        List<String> back = new ArrayList<>(ids(page.body()));
        while (!page.body().get("previousCursor").isNull()) {
            page = org.writer().get("/api/agents?pageSize=2&cursor=" + page.body().get("previousCursor").asText());
            back.addAll(0, ids(page.body()));
        }
        assertEquals(forward, back);

        // an offset page carries cursors too: switch to them from any page
        var second = org.writer().get("/api/agents?pageSize=2&initialPage=2").body();
        assertEquals(List.of("walk-3", "walk-2"), ids(second));
        assertEquals(List.of("walk-1"), ids(org.writer().get("/api/agents?pageSize=2&cursor=" + second.get("nextCursor").asText()).body()));
        assertEquals(List.of("walk-5", "walk-4"), ids(org.writer().get("/api/agents?pageSize=2&cursor=" + second.get("previousCursor").asText()).body()));
    }

    @Test
    void a_cursor_with_an_initial_page_a_malformed_one_and_one_of_another_list_or_filter_are_422_naming_cursor() {
        var org = newOrganization();
        for (int i = 1; i <= 3; i++) {
            org.writer().post("/api/agents", body("name", "a" + i, "model", "m"));
            org.session().post("/api/api-keys", body("name", "k" + i));
        }
        String agentCursor = org.session().get("/api/agents?pageSize=1").body().get("nextCursor").asText();
        String keyCursor = org.session().get("/api/api-keys?pageSize=1").body().get("nextCursor").asText();

        List<String> refused = new ArrayList<>();
        for (String list : LISTS) {
            refused.add(list + "?cursor=" + (list.equals("/api/agents") ? agentCursor : keyCursor) + "&initialPage=1");
            refused.add(list + "?cursor=garbage");
            refused.add(list + "?cursor=" + "A".repeat(201));
            refused.add(list + "?cursor=" + enc("a.1.0.x.AAAAAAAAAAA")); // not base64
            if (!list.equals("/api/agents")) refused.add(list + "?cursor=" + agentCursor);
        }
        refused.add("/api/agents?cursor=" + keyCursor);
        refused.add("/api/api-keys?status=revoked&cursor=" + keyCursor);
        refused.add("/api/api-keys?query=k&cursor=" + keyCursor);
        refused.add("/api/agents?query=a&cursor=" + agentCursor);
        String before = org.session().get("/api/api-keys").raw();
        for (String target : refused) {
            var response = org.session().get(target);
            assertEquals(422, response.status(), target + ": " + response);
            Set<String> fields = new HashSet<>();
            response.body().get("errors").forEach(e -> fields.add(e.get("field").asText()));
            assertEquals(Set.of("cursor"), fields, target + ": " + response);
        }
        assertEquals(before, org.session().get("/api/api-keys").raw(), "a refused cursor changed something");
        // the same cursor with its own list and filters is fine
        assertEquals(200, org.session().get("/api/api-keys?status=all&cursor=" + keyCursor).status());
    }

    @Test
    void agents_are_searched_by_name_or_description_case_insensitively_or_by_their_exact_id() {
        var org = newOrganization();
        org.writer().post("/api/agents", body("id", "billing-bot", "name", "Invoices", "model", "m"));
        org.writer().post("/api/agents", body("id", "helper", "name", "The BILLING helper", "model", "m"));
        org.writer().post("/api/agents", body("id", "support", "name", "Support", "description", "handles billing mails", "model", "m"));
        org.writer().post("/api/agents", body("id", "other", "name", "100% sure", "model", "m"));

        var found = org.reader().get("/api/agents?query=BiLLing");
        assertEquals(200, found.status(), found.toString());
        assertEquals(List.of("support", "helper"), ids(found.body()), "an id is not searched by its parts");
        assertEquals(2, found.body().get("totalCount").asInt());
        assertEquals(List.of("billing-bot"), ids(org.reader().get("/api/agents?query=billing-bot").body()));
        assertEquals(List.of(), ids(org.reader().get("/api/agents?query=BILLING-BOT").body()), "ids are case-sensitive");
        assertEquals(List.of("other"), ids(org.reader().get("/api/agents?query=" + enc("0%")).body()));
        assertEquals(List.of(), ids(org.reader().get("/api/agents?query=" + enc("%%")).body()));
        assertEquals(List.of(), ids(org.reader().get("/api/agents?query=" + enc("bill_ng")).body()));
        // a search walks with cursors of its own
        var first = org.reader().get("/api/agents?query=billing&pageSize=1").body();
        assertEquals(List.of("support"), ids(first));
        assertEquals(List.of("helper"), ids(org.reader().get("/api/agents?query=billing&pageSize=1&cursor="
                + first.get("nextCursor").asText()).body()));

        var tooLong = org.reader().get("/api/agents?query=" + "x".repeat(101));
        assertEquals(422, tooLong.status());
        assertEquals("query", tooLong.body().get("errors").get(0).get("field").asText());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(row -> ids.add(row.get("id").asText()));
        return ids;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
