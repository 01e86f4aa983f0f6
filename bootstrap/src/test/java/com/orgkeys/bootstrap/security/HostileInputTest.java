package com.orgkeys.bootstrap.security;

import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.OpenApiResponseValidator;
import com.orgkeys.bootstrap.api.TestServer;
import com.orgkeys.http.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of hostile bodies, paths and headers sent to every JSON route: every answer is a 4xx problem, no
 * 5xx, and the database is byte-for-byte what it was before.
 */
class HostileInputTest {
    static TestServer server;
    static Api admin;
    static String agentId;
    static final HttpClient raw = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.signUp("hostile@example.com");
        admin.post("/api/organizations", body("name", "Target"));
        agentId = admin.post("/api/agents", body("id", "existing", "name", "n", "model", "m")).text("id");
        admin.post("/api/roles", body("key", "org:custom", "name", "Custom", "permissions", List.of()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final List<String> BODIES = List.of(
            "{", "{\"name\":}", "nul", "{\"a\" 1}", "\u0000", "{}}", "{\"name\":\"x\"} trailing",
            "[]", "\"text\"", "123", "true", "null", "[{}]",
            "{\"name\":123,\"model\":456,\"email\":789,\"role\":true,\"token\":1.5,\"organizationId\":[]}",
            "{\"name\":{\"nested\":1}}", "{\"name\":[\"a\"]}",
            "{\"secondsUntilExpiration\":1e400,\"name\":\"x\"}",
            "{\"secondsUntilExpiration\":99999999999999999999999999999,\"name\":\"x\"}",
            "{\"name\":\"a\",\"name\":\"b\"}",
            "[".repeat(100_000), "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000),
            "{\"name\":\"" + "x".repeat(10_000) + "\",\"model\":\"m\",\"email\":\"" + "y".repeat(10_000) + "@example.com\"}",
            "{\"name\":\"\\ud800\",\"model\":\"\\udfff\",\"email\":\"\\ud800@x.io\",\"role\":\"\\ud800\",\"token\":\"\\ud800\",\"organizationId\":\"\\ud800\",\"agentId\":\"\\ud800\",\"key\":\"\\ud800\",\"permissions\":[\"\\ud800\"],\"password\":\"\\ud800\"}",
            "{\"name\":\"a\\u0000b\",\"model\":\"m\\u0000\",\"email\":\"a\\u0000@x.io\",\"role\":\"org:\\u0000\",\"token\":\"\\u0000\",\"agentId\":\"\\u0000\",\"organizationId\":\"\\u0000\",\"key\":\"org:\\u0000\",\"password\":\"\\u0000\"}",
            "{\"unknownField\":\"x\"}",
            "\u0000\b\u0000\u0000" /* found by Jazzer: Jackson reads it as UTF-32 and fails with an I/O error */);

    /** The routes that take a JSON body, straight from the router. */
    static List<Route> jsonRoutes() {
        List<Route> result = new ArrayList<>();
        for (Route route : server.app.router().routes()) {
            boolean writes = Set.of("POST", "PUT", "PATCH").contains(route.method())
                    || route.method().equals("DELETE") && route.pattern().equals("/api/agents");
            // sign-out takes no body: it would end the session under test
            if (route.pattern().startsWith("/api/") && writes && !route.pattern().equals("/api/auth/sign-out")) result.add(route);
        }
        assertTrue(result.size() >= 12, "found " + result.size());
        return result;
    }

    static String concrete(String pattern) {
        return pattern.replace("{id}", agentId).replace("{userId}", "00000000-0000-0000-0000-000000000000")
                .replace("{key}", "org:custom");
    }

    @Test
    void every_hostile_body_on_every_json_route_is_a_4xx_problem_and_changes_nothing() throws Exception {
        Map<String, String> before = DatabaseSnapshot.take(server.database);
        List<String> failures = new ArrayList<>();
        for (Route route : jsonRoutes()) {
            for (String hostile : BODIES) {
                Api.Response response = admin.send(route.method(), concrete(route.pattern()), hostile);
                if (response.status() < 400 || response.status() >= 500
                        || !"application/problem+json".equals(response.header("Content-Type"))) {
                    failures.add(route.method() + " " + route.pattern() + " <- " + abbreviate(hostile) + ": " + abbreviate(response.toString()));
                }
                if (revealsInternals(response.raw())) {
                    failures.add(route.method() + " " + route.pattern() + " <- " + abbreviate(hostile) + ": internals in " + abbreviate(response.raw()));
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " bad answers:\n" + String.join("\n", failures));
        assertEquals(before, DatabaseSnapshot.take(server.database));
    }

    @Test
    void ten_megabytes_are_refused_with_413_and_wrong_content_types_with_415() throws Exception {
        String origin = server.origin();
        for (Route route : jsonRoutes()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + concrete(route.pattern())))
                    .timeout(Duration.ofSeconds(30)).header("Cookie", "orgkeys_session=" + admin.sessionCookie().orElseThrow())
                    .header("Origin", origin);
            assertEquals("HTTP/1.1 413", declaredTenMegabytes(route));
            for (String type : new String[]{"text/plain", "application/x-www-form-urlencoded", "application/xml"}) {
                var wrongType = raw.send(request.copy().header("Content-Type", type)
                        .method(route.method(), HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
                OpenApiResponseValidator.SERVED.assertValid(route.method(), concrete(route.pattern()), wrongType.statusCode(),
                        wrongType.headers().map(), wrongType.body());
                assertTrue(wrongType.statusCode() == 415 || wrongType.statusCode() == 403 && route.pattern().contains("sign"),
                        route.method() + " " + route.pattern() + " " + type + " -> " + wrongType.statusCode());
            }
        }
    }

    @Test
    void metacharacters_and_unusual_unicode_are_stored_verbatim() {
        for (String name : new String[]{"Robert'); DROP TABLE agents;--", "<script>alert(1)</script>", "\u202eevil\u202c",
                "zero\u200bwidth", "emoji \uD83D\uDE80", "日本語", "%_\\"}) {
            var created = admin.post("/api/agents", body("name", name, "model", "m"));
            assertEquals(201, created.status(), name);
            assertEquals(name, admin.get("/api/agents/" + created.text("id")).text("name"));
        }
    }

    @Test
    void path_tricks_get_4xx_problems() throws Exception {
        for (String path : new String[]{"/api/agents/..%2F..%2Fetc%2Fpasswd", "/api/agents/%2e%2e", "/api/agents/a%00b",
                "/api/../api/agents", "/api//agents", "/api/agents/" + "x".repeat(8000),
                "/api/api-keys/%20", "/api/members/not-a-uuid"}) {
            Api.Response response = admin.get(path);
            assertTrue(response.status() >= 400 && response.status() < 500, path + " -> " + response);
            assertFalse(revealsInternals(response.raw()), path + " -> " + response.raw());
        }
    }

    @Test
    void oversized_and_malformed_headers_do_not_break_the_server() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.app.port())) {
            socket.setSoTimeout(10_000);
            String request = "GET /api/whoami HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(2_000_000) + "\r\n\r\n";
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                byte[] answer = socket.getInputStream().readNBytes(12);
                String status = new String(answer, StandardCharsets.US_ASCII);
                assertTrue(status.isEmpty() || status.startsWith("HTTP/1.1 4"), status);
            } catch (IOException closedByServer) {
                // refusing by closing the connection is fine too
            }
        }
        try (Socket socket = new Socket("127.0.0.1", server.app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/agents/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Authorization: Basic Zm9vOmJhcg==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertTrue(status.startsWith("HTTP/1.1 4"), status);
        }
        assertEquals(200, server.anonymous().get("/healthz").status(), "still serving");
    }

    /**
     * Announces a 10 MB body but sends only its first 64 KB, then reads the answer: the server must refuse on
     * the declared length, before reading the rest (a client sending it all would see the connection reset).
     */
    static String declaredTenMegabytes(Route route) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.app.port())) {
            socket.setSoTimeout(10_000);
            String head = route.method() + " " + concrete(route.pattern()) + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.app.port() + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + (10 * 1024 * 1024) + "\r\n"
                    + "Cookie: orgkeys_session=" + admin.sessionCookie().orElseThrow() + "\r\nOrigin: " + server.origin() + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(("{\"name\":\"" + "x".repeat(64 * 1024)).getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        }
    }

    /** A response body that names an exception or carries a stack frame tells a client how the server is built. */
    static boolean revealsInternals(String body) {
        return body != null && (body.contains("Exception") || body.contains("\tat ") || body.contains("\\tat ")
                || body.contains("at com.orgkeys.") || body.contains("at java.base/"));
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
