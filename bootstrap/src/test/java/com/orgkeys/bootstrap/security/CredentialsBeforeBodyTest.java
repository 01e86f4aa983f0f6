package com.orgkeys.bootstrap.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.OpenApiResponseValidator;
import com.orgkeys.bootstrap.api.TestServer;
import com.orgkeys.http.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On every route that needs credentials (by the served document, which must agree with the router), a caller
 * without them learns 401 whatever body it sends, and an API key on a route for signed-in users learns 403:
 * credentials are checked before the body is read, so 415/422/400 never tell a refused caller about the body.
 * The routes come from the router itself, so a new route is covered without a change here.
 */
class CredentialsBeforeBodyTest {
    static TestServer server;
    static String fullKey;
    static JsonNode document;

    /** Bodies a handler would refuse with 400, 415 or 422 if it read them first: (content type, body). */
    static final List<String[]> BAD_BODIES = List.of(
            new String[]{null, null},
            new String[]{"application/json", "{"},
            new String[]{"application/json", "{\"unknownField\":1}"},
            new String[]{"application/json", "[]"},
            new String[]{"text/plain", "hello"},
            new String[]{"application/merge-patch+json", "{}"},
            new String[]{"application/x-www-form-urlencoded", "name=x"});

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        Api admin = server.signUp("owner-" + UUID.randomUUID() + "@example.com");
        admin.post("/api/organizations", body("name", "Keys"));
        fullKey = admin.post("/api/api-keys", body("name", "full", "scopes", List.of("org:agents:read", "org:agents:manage")))
                .text("secret");
        document = new ObjectMapper().readTree(server.anonymous().get("/openapi.json").raw());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The document's security for the route: empty for public ones. */
    static JsonNode security(Route route) {
        return document.path("paths").path(route.pattern()).path(route.method().toLowerCase(Locale.ROOT)).path("security");
    }

    static List<Route> guardedRoutes() {
        List<Route> guarded = new ArrayList<>();
        for (Route route : server.app.router().routes()) {
            if (!OpenApiResponseValidator.SERVED.covers(route.pattern())) continue;
            JsonNode security = security(route);
            assertTrue(security.isArray(), route + " is not documented");
            if (!security.isEmpty()) guarded.add(route);
        }
        assertTrue(guarded.size() >= 30, "guarded routes: " + guarded.size());
        return guarded;
    }

    static String concrete(String pattern) {
        return pattern.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    @Test
    void without_credentials_every_guarded_route_is_401_whatever_the_body() {
        List<String> failures = new ArrayList<>();
        for (Route route : guardedRoutes()) {
            for (Api caller : List.of(server.anonymous(), server.anonymous().withBearer("ok_thisIsNotAKey"),
                    server.anonymous().withSessionCookie("not-a-session"))) {
                for (String[] bad : BAD_BODIES) {
                    var response = caller.send(route.method(), concrete(route.pattern()), bad[0], bad[1]);
                    if (response.status() != 401) {
                        failures.add(route + " with " + bad[0] + " " + bad[1] + ": " + response);
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " answers other than 401:\n" + String.join("\n", failures));
    }

    @Test
    void an_api_key_on_a_route_for_signed_in_users_is_403_whatever_the_body() {
        List<String> failures = new ArrayList<>();
        int sessionOnly = 0;
        for (Route route : guardedRoutes()) {
            if (security(route).toString().contains("apiKey")) continue;
            // the backend API takes a backend secret key only: an API key is no credential there (401)
            int want = security(route).toString().contains("secretKey") ? 401 : 403;
            if (want == 403) sessionOnly++;
            for (String[] bad : BAD_BODIES) {
                var response = server.anonymous().withBearer(fullKey).send(route.method(), concrete(route.pattern()), bad[0], bad[1]);
                if (response.status() != want) failures.add(route + " with " + bad[0] + " " + bad[1] + ": " + response);
            }
        }
        assertTrue(sessionOnly >= 20, "session-only routes: " + sessionOnly);
        assertTrue(failures.isEmpty(), failures.size() + " answers other than 403 (401 on the backend API):\n"
                + String.join("\n", failures));
    }

    /** Bodies are application/json (any parameters); other JSON-like types are refused, not guessed at. */
    @Test
    void json_bodies_must_be_application_json_and_nothing_else() {
        Api admin = server.signUp("types-" + UUID.randomUUID() + "@example.com");
        admin.post("/api/organizations", body("name", "Types"));
        String agent = "{\"name\":\"n\",\"model\":\"m\"}";
        for (String refused : List.of("application/merge-patch+json", "application/vnd.api+json", "text/json",
                "application/jsonx", "text/plain")) {
            var response = admin.send("POST", "/api/agents", refused, agent);
            assertEquals(415, response.status(), refused + ": " + response);
            assertEquals("application/json", response.header("Accept-Post"));
        }
        for (String accepted : List.of("application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8")) {
            assertEquals(201, admin.send("POST", "/api/agents", accepted, agent).status(), accepted);
        }
        assertEquals(200, admin.get("/api/agents?pageSize=10").status());
        assertEquals(415, admin.send("PATCH", "/api/organization", "application/merge-patch+json", "{\"name\":\"X\"}").status());
        assertEquals("Types", admin.get("/api/organization").text("name"));
    }
}
