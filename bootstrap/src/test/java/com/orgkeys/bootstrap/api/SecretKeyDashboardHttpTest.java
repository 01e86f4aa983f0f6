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
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The instance administrators' secret-key page, /admin/secret-keys, for ADMIN_EMAILS only (as DashboardFormHttpTest). */
class SecretKeyDashboardHttpTest {
    private static final String ADMIN = "ops@example.com";
    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final HttpClient http = HttpClient.newHttpClient();
    static TestServer server;

    @BeforeAll
    static void start() {
        // the list as an operator might type it: spaces and capitals
        server = TestServer.start(Map.of("ADMIN_EMAILS", " someone@example.com , OPS@Example.com"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void an_administrator_creates_a_key_with_the_password_sees_it_once_and_revokes_it() throws Exception {
        String cookie = cookie(server.signUp(ADMIN));
        var account = get("/account", cookie);
        assertTrue(account.body().contains("href=\"/admin/secret-keys\""), "the menu shows the way");
        var page = get("/admin/secret-keys", cookie);
        assertEquals(200, page.statusCode(), page.body());

        var wrong = post("/admin/secret-keys", cookie, "_csrf=" + token(page.body()) + "&name=billing&currentPassword=not+my+password");
        assertEquals(422, wrong.statusCode(), wrong.body());
        assertTrue(wrong.body().contains("is not your current password") && wrong.body().contains("value=\"billing\""), wrong.body());
        assertFalse(wrong.body().contains("not my password"), "a password is never echoed");
        assertTrue(wrong.body().contains("id=\"secret-keys-empty\""), "nothing was created");

        var created = post("/admin/secret-keys", cookie, "_csrf=" + token(page.body()) + "&name=billing&currentPassword="
                + URLEncoder.encode("correct horse battery " + ADMIN, StandardCharsets.UTF_8));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("no-store", created.headers().firstValue("Cache-Control").orElse(""));
        String secret = group(created.body(), "id=\"secret\">(sk_orgkeys_[0-9A-Za-z]+)<");
        Api backend = server.anonymous().withBearer(secret);
        var listed = backend.get("/v1/api_keys?subject=" + UUID.randomUUID());
        assertEquals(200, listed.status(), "the new secret key works on the backend API: " + listed);

        var list = get("/admin/secret-keys", cookie);
        assertFalse(list.body().contains(secret), "the secret is shown once");
        assertTrue(list.body().contains(secret.substring(secret.length() - 4)) && list.body().contains(">you<"), list.body());
        String id = group(list.body(), "href=\"/admin/secret-keys/([0-9a-f-]{36})/revoke\"");
        var confirm = get("/admin/secret-keys/" + id + "/revoke", cookie);
        assertEquals(200, confirm.statusCode(), confirm.body());
        var revoked = post("/admin/secret-keys/" + id + "/revoke", cookie, "_csrf=" + token(confirm.body()));
        assertEquals(303, revoked.statusCode(), revoked.body());
        assertEquals("/admin/secret-keys?notice=secret-key-revoked", revoked.headers().firstValue("Location").orElse(""));
        assertEquals(401, backend.get("/v1/api_keys?subject=" + UUID.randomUUID()).status(), "refused at once");
        assertTrue(get("/admin/secret-keys", cookie).body().contains("status-revoked"));
    }

    @Test
    void everyone_else_finds_no_such_page_and_can_change_nothing() throws Exception {
        var existing = SecretKeys.create(server, "kept");
        String someoneElse = cookie(server.signUp("dev-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com"));
        // the listed address before its owner verified it: whoever signed up with it first gets nothing
        String squatter = cookie(server.signUpUnverified("someone@example.com"));
        for (String cookie : new String[] {someoneElse, squatter}) {
            var account = get("/account", cookie);
            assertFalse(account.body().contains("/admin/secret-keys"), "no way shown");
            String csrf = token(account.body());
            assertEquals(404, get("/admin/secret-keys", cookie).statusCode());
            assertEquals(404, get("/admin/secret-keys/" + existing.id() + "/revoke", cookie).statusCode());
            assertEquals(404, post("/admin/secret-keys", cookie, "_csrf=" + csrf + "&name=mine&currentPassword=x").statusCode());
            assertEquals(404, post("/admin/secret-keys/" + existing.id() + "/revoke", cookie, "_csrf=" + csrf).statusCode());
        }
        assertEquals(303, get("/admin/secret-keys", "").statusCode(), "signed out: off to sign in");
        var stillWorks = server.anonymous().withBearer(existing.secret()).get("/v1/api_keys?subject=" + UUID.randomUUID());
        assertEquals(200, stillWorks.status(), stillWorks.toString());
    }

    private static String cookie(Api user) {
        return "orgkeys_session=" + user.sessionCookie().orElseThrow();
    }

    private static String group(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        assertTrue(m.find(), "no " + regex + " in " + html);
        return m.group(1);
    }

    private static String token(String html) {
        return group(html, TOKEN.pattern());
    }

    private static HttpResponse<String> get(String path, String cookie) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.origin() + path)).header("Accept", "text/html");
        if (!cookie.isEmpty()) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String cookie, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.origin() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", server.origin())
                .header("Cookie", cookie).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
