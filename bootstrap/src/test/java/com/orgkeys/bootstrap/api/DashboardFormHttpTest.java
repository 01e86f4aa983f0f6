package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's form token over plain HTTP: every form post must carry the token of its own cookie. */
class DashboardFormHttpTest {
    static TestServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path, String cookie) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.origin() + path)).header("Accept", "text/html");
        if (cookie != null) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postForm(String path, String cookie, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.origin() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", server.origin())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String token(String html) {
        Matcher m = TOKEN.matcher(html);
        assertTrue(m.find(), "no form token in page");
        return m.group(1);
    }

    static String cookiePair(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow(() -> new AssertionError("no cookie " + name));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void sign_up_with_the_pages_token_works_and_without_it_is_refused() throws Exception {
        var page = get("/sign-up", null);
        assertEquals(200, page.statusCode());
        String pre = cookiePair(page, "orgkeys_form");
        String body = "name=Eve&email=" + enc("eve@example.com") + "&password=" + enc("correct horse battery staple");

        var missing = postForm("/sign-up", pre, body);
        assertEquals(403, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        var wrongCookie = postForm("/sign-up", "orgkeys_form=other", body + "&_csrf=" + enc(token(page.body())));
        assertEquals(403, wrongCookie.statusCode());

        var ok = postForm("/sign-up", pre, body + "&_csrf=" + enc(token(page.body())));
        assertEquals(303, ok.statusCode(), ok.body());
        String session = cookiePair(ok, "orgkeys_session");

        // Signed in, the token is bound to the session: the pre-session token no longer works.
        var orgPage = get("/organizations/new", session);
        assertEquals(200, orgPage.statusCode());
        var stale = postForm("/organizations/new", session, "name=Evil&_csrf=" + enc(token(page.body())));
        assertEquals(403, stale.statusCode());
        var created = postForm("/organizations/new", session, "name=Eve+Inc&_csrf=" + enc(token(orgPage.body())));
        assertEquals(303, created.statusCode(), created.body());
        assertEquals("/settings?notice=created", created.headers().firstValue("Location").orElse(""));
    }

    @Test
    void the_json_api_is_unchanged_by_the_dashboard() throws Exception {
        var api = server.signUp("json@example.com");
        assertEquals(201, api.post("/api/organizations", java.util.Map.of("name", "Json")).status());
        var notFound = server.anonymous().get("/api/nothing-here");
        assertEquals(404, notFound.status());
        assertEquals("application/problem+json", notFound.header("Content-Type"));
        var page404 = get("/nothing-here", null);
        assertEquals(404, page404.statusCode());
        assertTrue(page404.body().contains("Page not found"));
        assertFalse(page404.body().contains("urn:orgkeys:problem"));
    }
}
