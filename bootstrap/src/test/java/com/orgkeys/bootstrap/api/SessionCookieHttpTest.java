package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session cookie as real cookie jars handle it: Java's {@link CookieManager} (which sends the value quoted
 * when a cookie has Max-Age but no Expires), and every Set-Cookie the server writes stating a lifetime in both
 * forms, Max-Age and an IMF-fixdate Expires, for clients that only know the older one.
 */
class SessionCookieHttpTest {
    static TestServer server;
    static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    static final Pattern IMF_FIXDATE = Pattern.compile("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.origin() + path)).timeout(Duration.ofSeconds(30));
    }

    static HttpRequest.Builder json(String path, String body) {
        return request(path).header("Content-Type", "application/json").header("Origin", server.origin())
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpRequest.Builder form(String path, String body) {
        return request(path).header("Content-Type", "application/x-www-form-urlencoded").header("Origin", server.origin())
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void a_java_client_with_a_cookie_manager_stays_signed_in_until_it_signs_out() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        var signUp = browser.send(json("/api/auth/sign-up", "{\"email\":\"jar@example.com\","
                + "\"password\":\"correct horse battery jar\",\"name\":\"Jar\"}").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, signUp.statusCode(), signUp.body());
        var me = browser.send(request("/api/me").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), me.body());

        var signOut = browser.send(json("/api/auth/sign-out", "{}").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, signOut.statusCode(), signOut.body());
        assertEquals(401, browser.send(request("/api/me").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void a_quoted_session_cookie_is_the_same_session() throws Exception {
        Api api = server.signUp("quoted@example.com");
        String token = api.sessionCookie().orElseThrow();
        HttpClient client = HttpClient.newHttpClient();
        for (String header : new String[]{"orgkeys_session=\"" + token + "\"",
                "$Version=\"1\"; orgkeys_session=\"" + token + "\";$Path=\"/\""}) {
            var me = client.send(request("/api/me").header("Cookie", header).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, me.statusCode(), header + " -> " + me.body());
        }
    }

    @Test
    void every_set_cookie_with_a_lifetime_states_it_as_max_age_and_expires() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<String> written = new ArrayList<>();
        // JSON API: sign-up, sign-in, sign-out
        String credentials = "{\"email\":\"expires@example.com\",\"password\":\"correct horse battery expires\"}";
        written.addAll(client.send(json("/api/auth/sign-up", credentials.replace("}", ",\"name\":\"E\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).headers().allValues("Set-Cookie"));
        var signIn = client.send(json("/api/auth/sign-in", credentials).build(), HttpResponse.BodyHandlers.ofString());
        written.addAll(signIn.headers().allValues("Set-Cookie"));
        String session = signIn.headers().allValues("Set-Cookie").getFirst().split(";", 2)[0];
        written.addAll(client.send(json("/api/auth/sign-out", "{}").header("Cookie", session).build(),
                HttpResponse.BodyHandlers.ofString()).headers().allValues("Set-Cookie"));
        // dashboard: the sign-in page (form cookie), the form sign-in and sign-out
        var page = client.send(request("/sign-in").header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        written.addAll(page.headers().allValues("Set-Cookie"));
        String formCookie = page.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                .reduce((a, b) -> a + "; " + b).orElse("");
        Matcher token = TOKEN.matcher(page.body());
        assertTrue(token.find(), "no form token on the sign-in page");
        var formSignIn = client.send(form("/sign-in", "email=" + enc("expires@example.com") + "&password="
                + enc("correct horse battery expires") + "&_csrf=" + enc(token.group(1))).header("Cookie", formCookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, formSignIn.statusCode(), formSignIn.body());
        written.addAll(formSignIn.headers().allValues("Set-Cookie"));
        String pageSession = formSignIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("orgkeys_session="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow();
        // the invitation link's flash cookie, set by the invite form and cleared by the page that shows it
        assertEquals(201, client.send(json("/api/organizations", "{\"name\":\"Expires\"}").header("Cookie", pageSession).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        Matcher membersToken = TOKEN.matcher(client.send(request("/settings/members").header("Accept", "text/html")
                .header("Cookie", pageSession).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertTrue(membersToken.find(), "no form token on the members page");
        var invited = client.send(form("/settings/members/invite", "_csrf=" + enc(membersToken.group(1)) + "&email="
                + enc("invitee@example.com") + "&role=org%3Amember").header("Cookie", pageSession).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, invited.statusCode(), invited.body());
        written.addAll(invited.headers().allValues("Set-Cookie"));
        String flash = invited.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("orgkeys_flash="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow(() -> new AssertionError("no flash cookie"));
        var shown = client.send(request(invited.headers().firstValue("Location").orElseThrow()).header("Accept", "text/html")
                .header("Cookie", pageSession + "; " + flash).build(), HttpResponse.BodyHandlers.ofString());
        written.addAll(shown.headers().allValues("Set-Cookie"));
        Matcher signedInToken = TOKEN.matcher(shown.body());
        assertTrue(signedInToken.find(), "no form token on the signed-in page");
        written.addAll(client.send(form("/sign-out", "_csrf=" + enc(signedInToken.group(1))).header("Cookie", pageSession).build(),
                HttpResponse.BodyHandlers.ofString()).headers().allValues("Set-Cookie"));
        for (String name : List.of("orgkeys_session=", "orgkeys_form=", "orgkeys_flash=")) {
            assertTrue(written.stream().anyMatch(c -> c.startsWith(name)), "no " + name + " among " + written);
        }

        assertTrue(written.stream().anyMatch(c -> c.contains("Max-Age=0")), "a cookie cleared: " + written);
        assertTrue(written.stream().anyMatch(c -> c.matches(".*Max-Age=[1-9].*")), "a cookie set: " + written);
        for (String cookie : written) assertLifetimeInBothForms(cookie);
    }

    /** Max-Age and Expires together or neither; Expires an IMF-fixdate that agrees with Max-Age. */
    static void assertLifetimeInBothForms(String cookie) {
        Map<String, String> attributes = new java.util.HashMap<>();
        for (String part : cookie.split(";")) {
            String[] nameValue = part.strip().split("=", 2);
            attributes.put(nameValue[0].toLowerCase(Locale.ROOT), nameValue.length > 1 ? nameValue[1] : "");
        }
        assertEquals(attributes.containsKey("max-age"), attributes.containsKey("expires"), cookie);
        assertTrue(attributes.containsKey("httponly") && attributes.getOrDefault("path", "").startsWith("/"), cookie);
        if (!attributes.containsKey("max-age")) return;
        String expires = attributes.get("expires");
        assertTrue(IMF_FIXDATE.matcher(expires).matches(), "IMF-fixdate: " + cookie);
        Instant expiresAt = ZonedDateTime.parse(expires, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        long maxAge = Long.parseLong(attributes.get("max-age"));
        if (maxAge <= 0) {
            assertTrue(expiresAt.isBefore(Instant.now()), "a cleared cookie expires in the past: " + cookie);
        } else {
            Instant expected = Instant.now().plusSeconds(maxAge);
            assertTrue(Duration.between(expiresAt, expected).abs().toSeconds() < 120, "Expires agrees with Max-Age: " + cookie);
        }
    }
}
