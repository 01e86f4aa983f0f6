package com.orgkeys.bootstrap.api;

import com.orgkeys.http.apikey.LeakReportRoutes;
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
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deployment behind TLS: BASE_URL is https, the tests still talk plain http to loopback (as the proxy would).
 * Then only BASE_URL's origin is this site, and every cookie has a name prefix that browsers enforce: a sibling
 * subdomain or a network attacker (over plain http) cannot plant one (cookie tossing).
 */
class HttpsDeploymentTest {
    static final String BASE_URL = "https://keys.example.test";
    static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    static final HttpClient http = HttpClient.newHttpClient();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(java.util.Map.of("BASE_URL", BASE_URL));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path, String cookie) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.origin() + path)).header("Accept", "text/html")
                .timeout(Duration.ofSeconds(30));
        if (cookie != null) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST with exactly the given headers (name, value, …). */
    static HttpResponse<String> post(String path, String contentType, String body, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.origin() + path)).header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String signInJson(String email) {
        return "{\"email\":\"" + email + "\",\"password\":\"correct horse battery " + email + "\"}";
    }

    static String token(String html) {
        Matcher m = TOKEN.matcher(html);
        assertTrue(m.find(), "no form token in page");
        return m.group(1);
    }

    static String cookiePair(HttpResponse<?> response, String name) {
        return setCookie(response.headers().allValues("Set-Cookie"), name).split(";", 2)[0];
    }

    static String setCookie(List<String> setCookies, String name) {
        return setCookies.stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + setCookies));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void only_the_base_url_origin_may_send_unsafe_requests_not_the_host_it_was_sent_to() throws Exception {
        String email = OrganizationApiTest.email();
        server.signUp(email);
        String hostOrigin = server.origin(); // http://127.0.0.1:port: the Host header of these requests
        for (String[] foreign : new String[][]{{"Origin", hostOrigin}, {"Origin", "http://keys.example.test"},
                {"Origin", "https://keys.example.test:8443"}, {"Origin", "https://evil.keys.example.test"},
                {"Referer", hostOrigin + "/sign-in"}, {"Referer", "http://keys.example.test/sign-in"},
                {"Origin", "null", "Referer", BASE_URL + "/sign-in"}, {"Cookie", "unrelated=1"}}) {
            var refused = post("/api/auth/sign-in", "application/json", signInJson(email), foreign);
            assertEquals(403, refused.statusCode(), String.join(": ", foreign) + " " + refused.body());
            assertTrue(refused.headers().allValues("Set-Cookie").isEmpty(), "a session was started");
        }
        for (String[] own : new String[][]{{"Origin", BASE_URL}, {"Origin", "HTTPS://Keys.Example.Test:443"},
                {"Referer", BASE_URL + "/sign-in?next=/"}, {}}) { // {}: a program such as curl, without cookies
            var accepted = post("/api/auth/sign-in", "application/json", signInJson(email), own);
            assertEquals(200, accepted.statusCode(), String.join(": ", own) + " " + accepted.body());
        }
    }

    @Test
    void every_cookie_has_a_prefix_browsers_enforce_and_the_attributes_it_requires() throws Exception {
        List<String> written = new ArrayList<>();
        var signUp = server.anonymous().post("/api/auth/sign-up", body("email", OrganizationApiTest.email(),
                "password", "correct horse battery staple", "name", "Tls"));
        assertEquals(201, signUp.status(), signUp.toString());
        List<String> sessionSet = signUp.headers().getOrDefault("Set-Cookie", List.of());
        written.addAll(sessionSet);
        var page = get("/sign-in", null);
        written.addAll(page.headers().allValues("Set-Cookie"));

        Api admin = server.signUp(OrganizationApiTest.email());
        OrganizationApiTest.createOrganization(admin, "Tls");
        String session = server.sessionCookieName() + "=" + admin.sessionCookie().orElseThrow();
        var invited = post("/settings/members/invite", "application/x-www-form-urlencoded",
                "_csrf=" + enc(token(get("/settings/members", session).body())) + "&email="
                        + enc(OrganizationApiTest.email()) + "&role=org%3Amember",
                "Cookie", session, "Origin", BASE_URL);
        assertEquals(303, invited.statusCode(), invited.body());
        written.addAll(invited.headers().allValues("Set-Cookie"));

        setCookie(sessionSet, "__Host-orgkeys_session");
        setCookie(page.headers().allValues("Set-Cookie"), "__Host-orgkeys_form");
        setCookie(invited.headers().allValues("Set-Cookie"), "__Secure-orgkeys_flash");
        for (String cookie : written) {
            String name = cookie.split("=", 2)[0];
            String lower = cookie.toLowerCase(Locale.ROOT);
            assertTrue(name.startsWith("__Host-") || name.startsWith("__Secure-"), "unprefixed: " + cookie);
            assertTrue(lower.contains("; secure"), "not Secure: " + cookie);
            assertFalse(lower.contains("domain="), "a Domain: " + cookie);
            if (name.startsWith("__Host-")) assertTrue(cookie.contains("; Path=/;"), "__Host- needs Path=/: " + cookie);
        }
    }

    @Test
    void unprefixed_cookies_planted_by_a_sibling_or_over_http_are_ignored() throws Exception {
        Api alice = server.signUp(OrganizationApiTest.email());
        String token = alice.sessionCookie().orElseThrow();
        assertEquals(200, get("/api/me", server.sessionCookieName() + "=" + token).statusCode());
        assertEquals(401, get("/api/me", "orgkeys_session=" + token).statusCode(), "the unprefixed name was read");

        // login CSRF by cookie tossing: a genuinely issued pre-session value with its token, planted unprefixed
        var page = get("/sign-in", null);
        String issued = cookiePair(page, "__Host-orgkeys_form").substring("__Host-".length());
        String mallory = OrganizationApiTest.email();
        server.signUp(mallory);
        String form = "email=" + enc(mallory) + "&password=" + enc("correct horse battery " + mallory)
                + "&_csrf=" + enc(token(page.body()));
        var planted = post("/sign-in", "application/x-www-form-urlencoded", form, "Cookie", issued, "Origin", BASE_URL);
        assertEquals(403, planted.statusCode(), planted.body());
        assertTrue(planted.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.contains("orgkeys_session=")
                && !c.contains("orgkeys_session=;")), "signed in with a planted cookie");
        var own = post("/sign-in", "application/x-www-form-urlencoded", form,
                "Cookie", cookiePair(page, "__Host-orgkeys_form"), "Origin", BASE_URL);
        assertEquals(303, own.statusCode(), own.body());
    }

    @Test
    void every_unsafe_route_refuses_every_foreign_source_even_signed_in() throws Exception {
        Api admin = server.signUp(OrganizationApiTest.email());
        OrganizationApiTest.createOrganization(admin, "Unchanged");
        String cookie = server.sessionCookieName() + "=" + admin.sessionCookie().orElseThrow();
        String[][] foreign = {{"Origin", server.origin()}, {"Origin", "http://keys.example.test"},
                {"Origin", "null", "Referer", BASE_URL + "/settings"}, {"Referer", server.origin() + "/settings"}, {}};
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (Route route : server.app.router().routes()) {
            if (Set.of("GET", "HEAD", "OPTIONS").contains(route.method())) continue;
            String path = route.pattern().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            // A leak report uses no cookie and proves itself with the secret it carries: any site may send one.
            int expected = path.equals(LeakReportRoutes.PATH) ? 422 : 403;
            for (String[] source : foreign) {
                var request = HttpRequest.newBuilder(URI.create(server.origin() + path)).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").header("Cookie", cookie)
                        .method(route.method(), HttpRequest.BodyPublishers.ofString("{}"));
                for (int i = 0; i < source.length; i += 2) request.header(source[i], source[i + 1]);
                int status = http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                tried++;
                if (status != expected) failures.add(route.method() + " " + path + " " + String.join(": ", source) + " -> " + status);
            }
        }
        assertTrue(tried > 50, "routes tried: " + tried);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals("Unchanged", admin.get("/api/organization").text("name"));
    }
}
