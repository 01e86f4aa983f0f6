package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/audit-events/export: the organization's events as JSON lines, oldest first, within [from, to). */
class AuditExportApiTest {
    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    static final int SEEDED = 3_500; // several batches of 1,000

    static TestServer server;
    static Api admin;
    static String home;
    static String away;

    @BeforeAll
    static void start() throws SQLException {
        server = TestServer.start();
        admin = server.signUp(email());
        home = admin.post("/api/organizations", body("name", "Home")).text("id");
        Api otherAdmin = server.signUp(email());
        away = otherAdmin.post("/api/organizations", body("name", "Away")).text("id");
        // one event a second in both organizations, the other's at the same instants
        try (Connection sql = TestPostgres.connect(server.database);
             PreparedStatement insert = sql.prepareStatement("""
                     INSERT INTO audit_events (id, organization_id, actor, action, target, details, occurred_at)
                     SELECT gen_random_uuid(), o, 'user:00000000-0000-0000-0000-0000000000ff', 'member.added',
                            'n' || g, E'quote " and\\nnewline', ?::timestamptz + make_interval(secs => g)
                       FROM generate_series(0, ? - 1) g, unnest(ARRAY[?::uuid, ?::uuid]) o""")) {
            insert.setString(1, T0.toString());
            insert.setInt(2, SEEDED);
            insert.setString(3, home);
            insert.setString(4, away);
            insert.executeUpdate();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String email() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void everything_comes_oldest_first_as_one_json_object_per_line_and_only_this_organizations() throws SQLException {
        Api.Response export = admin.get("/api/audit-events/export");

        assertEquals(200, export.status(), export.toString());
        assertEquals("application/x-ndjson", export.header("Content-Type"));
        assertEquals("attachment; filename=\"audit-events-" + home + ".jsonl\"", export.header("Content-Disposition"));
        List<JsonNode> lines = lines(export);
        assertEquals(ids("organization_id = '" + home + "'"), lines.stream().map(l -> l.get("id").asText()).toList());
        assertEquals(SEEDED, seeded(lines).size());
        assertEquals("n0", lines.getFirst().get("target").asText());
        assertEquals("quote \" and\nnewline", lines.getFirst().get("details").asText());
        List<String> others = ids("organization_id = '" + away + "'");
        assertTrue(lines.stream().noneMatch(l -> others.contains(l.get("id").asText())), "no event of another organization");
        // the list and the export agree on an event's shape
        JsonNode newest = admin.get("/api/audit-events?pageSize=1").body().get("data").get(0);
        assertEquals(newest, lines.getLast());
    }

    @Test
    void from_is_inclusive_and_to_exclusive_in_any_offset() throws SQLException {
        Instant from = T0.plusSeconds(1_000);
        Instant to = T0.plusSeconds(2_500);

        List<JsonNode> lines = lines(admin.get("/api/audit-events/export?from=" + from + "&to=2026-06-01T01:41:40%2B01:00"));

        assertEquals(to, OffsetDateTime.parse("2026-06-01T01:41:40+01:00").toInstant());
        assertEquals(1_500, lines.size());
        assertEquals("n1000", lines.getFirst().get("target").asText());
        assertEquals("n2499", lines.getLast().get("target").asText());
        assertEquals(ids("organization_id = '" + home + "' AND occurred_at >= '" + from + "' AND occurred_at < '" + to + "'"),
                lines.stream().map(l -> l.get("id").asText()).toList());
        assertEquals(SEEDED - 3_000, seeded(lines(admin.get("/api/audit-events/export?from=" + T0.plusSeconds(3_000))))
                .size(), "from alone");
        assertEquals(List.of("n0"), lines(admin.get("/api/audit-events/export?to=" + T0.plusSeconds(1))).stream()
                .map(l -> l.get("target").asText()).toList(), "to alone");
        assertEquals(0, lines(admin.get("/api/audit-events/export?from=" + from + "&to=" + from)).size(), "empty range");
    }

    @Test
    void times_that_cannot_be_read_or_end_before_they_start_are_422_naming_the_field() {
        for (String[] bad : new String[][]{{"from=yesterday", "from"}, {"to=2026-06-01", "to"},
                {"from=2026-06-01T00:00:00", "from"}, {"from=2026-06-01T00:00:00+01:00", "from"},
                {"from=%2B10000-01-01T00:00:00Z", "from"},
                {"from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z", "from"}}) {
            Api.Response response = admin.get("/api/audit-events/export?" + bad[0]);
            assertEquals(422, response.status(), bad[0] + ": " + response);
            assertEquals(bad[1], response.body().get("errors").get(0).get("field").asText(), bad[0]);
        }
    }

    @Test
    void a_member_without_the_permission_gets_403_and_no_line() {
        String memberEmail = email();
        Api member = server.signUp(memberEmail);
        var invitation = admin.post("/api/invitations", body("email", memberEmail, "role", "org:member"));
        String url = invitation.text("acceptUrl");
        assertEquals(200, member.post("/api/invitations/accept", body("token", url.substring(url.indexOf("token=") + 6))).status());

        Api.Response response = member.get("/api/audit-events/export");

        assertEquals(403, response.status());
        assertEquals("application/problem+json", response.header("Content-Type"));
    }

    private static List<JsonNode> lines(Api.Response response) {
        assertEquals(200, response.status(), response.toString());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : response.raw().split("\n")) {
            if (line.isEmpty()) continue;
            try {
                lines.add(Api.json.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    /** The lines of the events the test inserted (the rest are the organization's real ones, made now). */
    private static List<JsonNode> seeded(List<JsonNode> lines) {
        return lines.stream().filter(l -> l.get("actor").asText().equals("user:00000000-0000-0000-0000-0000000000ff"))
                .toList();
    }

    private static List<String> ids(String where) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection sql = TestPostgres.connect(server.database);
             ResultSet rows = sql.createStatement().executeQuery(
                     "SELECT id FROM audit_events WHERE " + where + " ORDER BY occurred_at, id")) {
            while (rows.next()) ids.add(rows.getString(1));
        }
        return ids;
    }
}
