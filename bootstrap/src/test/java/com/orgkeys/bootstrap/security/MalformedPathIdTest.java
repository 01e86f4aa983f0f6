package com.orgkeys.bootstrap.security;

import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.SecretKeys;
import com.orgkeys.bootstrap.api.TestServer;
import com.orgkeys.http.backend.BackendApiKeyRoutes;
import com.orgkeys.http.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route with a path parameter, API and dashboard, straight from the router: an id that is not even
 * well-formed is answered like one that names nothing, a 404 (problem+json for the API, the error page for the
 * dashboard), never a 400 or a 500 that tells a caller more, and nothing changes.
 */
class MalformedPathIdTest {
    static TestServer server;
    static Api admin;
    /** The backend API's caller: its routes take a backend secret key and answer errors in Clerk's shape. */
    static Api backend;
    static final HttpClient raw = HttpClient.newHttpClient();
    /** Not a UUID, a UUID with a bad digit, and a well-formed id that names nothing: all three the same answer. */
    static final List<String> IDS = List.of("not-a-uuid", "00000000-0000-0000-0000-00000000000g",
            UUID.randomUUID().toString());
    static final String ADMIN = "malformed-ids@example.com"; // TestServer.signUp's password: "correct horse battery " + it
    /** A body each API write accepts, so that the id, not the body, decides the answer. */
    static final Map<String, Object> API_BODIES = Map.ofEntries(
            Map.entry("PATCH /api/members/{userId}", body("role", "org:member")),
            Map.entry("PATCH /api/roles/{key}", body("name", "Renamed")),
            Map.entry("POST /api/api-keys/{id}/revoke", body()),
            Map.entry("POST /v1/api_keys/{id}/revoke", body()),
            Map.entry("POST /api_keys/{id}/revoke", body()),
            Map.entry("PATCH /v1/users/{id}", body("first_name", "Renamed")),
            Map.entry("PATCH /v1/users/{id}/metadata", body("public_metadata", Map.of("a", 1))),
            Map.entry("PUT /v1/users/{id}/metadata", body("unsafe_metadata", Map.of("b", 2))),
            Map.entry("PATCH /v1/organizations/{id}", body("name", "Renamed")),
            Map.entry("PATCH /v1/organizations/{id}/metadata", body("public_metadata", Map.of("a", 1))),
            Map.entry("PUT /v1/organizations/{id}/metadata", body("private_metadata", Map.of("b", 2))),
            Map.entry("POST /v1/organizations/{id}/memberships", body("user_id", UUID.randomUUID().toString(), "role", "org:member")),
            Map.entry("PATCH /v1/organizations/{id}/memberships/{user_id}", body("role", "org:member")),
            Map.entry("PATCH /api/api-keys/{id}", body("name", "Renamed")),
            Map.entry("PUT /api/api-keys/{id}/allowlist", body("allowlist", List.of("192.0.2.0/24"))),
            Map.entry("PUT /api/api-keys/{id}/rate-limit", body("requests", 10, "windowSeconds", 60)),
            Map.entry("PATCH /api/webhooks/endpoints/{id}", body("description", "Renamed")),
            Map.entry("PATCH /v1/webhooks/endpoints/{id}", body("description", "Renamed")),
            Map.entry("PATCH /v1/api_keys/{id}", body("description", "Renamed")),
            Map.entry("PATCH /api_keys/{id}", body("description", "Renamed")),
            Map.entry("PATCH /api/account/passkeys/{id}", body("name", "Renamed")),
            Map.entry("DELETE /api/account/passkeys/{id}", body("currentPassword", "correct horse battery " + ADMIN)));

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.signUp(ADMIN);
        admin.post("/api/organizations", body("name", "Ids"));
        backend = server.anonymous().withBearer(SecretKeys.create(server, "ids").secret());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_malformed_id_in_any_path_is_a_404_like_an_unknown_one_and_changes_nothing() throws Exception {
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(asAdmin("GET", "/settings", null).body());
        assertTrue(token.find(), "no form token on /settings");
        String form = "_csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8) + "&role=org%3Amember&name=x";
        Map<String, String> before = DatabaseSnapshot.take(server.database);
        List<String> failures = new ArrayList<>();
        int routes = 0;
        for (Route route : server.app.router().routes()) {
            if (!route.pattern().contains("{") || route.pattern().startsWith("/static/")) continue;
            routes++;
            for (String id : IDS) {
                String path = route.pattern().replaceAll("\\{[^}]+}", id);
                if (BackendApiKeyRoutes.isBackendPath(route.pattern())) {
                    Api.Response response = backend.send(route.method(), path, API_BODIES.get(route.method() + " " + route.pattern()));
                    if (response.status() != 404 || !"resource_not_found".equals(response.body().path("errors").path(0).path("code").asText())) {
                        failures.add(route.method() + " " + path + ": " + response);
                    }
                } else if (route.pattern().startsWith("/api/")) {
                    Object json = API_BODIES.get(route.method() + " " + route.pattern());
                    Api.Response response = admin.send(route.method(), path, json);
                    if (response.status() != 404 || !"application/problem+json".equals(response.header("Content-Type"))) {
                        failures.add(route.method() + " " + path + ": " + response);
                    }
                } else {
                    HttpResponse<String> response = asAdmin(route.method(), path, route.method().equals("POST") ? form : null);
                    if (response.statusCode() != 404 || !response.body().contains("<html")) {
                        failures.add(route.method() + " " + path + ": " + response.statusCode());
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " answers other than 404:\n" + String.join("\n", failures));
        assertTrue(routes >= 15, "found " + routes + " routes with a path parameter");
        assertEquals(before, DatabaseSnapshot.take(server.database));
    }

    /** A page request with the admin's session cookie, and a form body for a post. */
    static HttpResponse<String> asAdmin(String method, String path, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.origin() + path))
                .timeout(Duration.ofSeconds(30)).header("Accept", "text/html")
                .header("Cookie", server.sessionCookieName() + "=" + admin.sessionCookie().orElseThrow());
        if (form == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Origin", server.origin()).header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(form));
        }
        return raw.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
