package com.orgkeys.bootstrap.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's two-factor page, /account/two-factor, over plain form posts (as DashboardFormHttpTest). */
class TwoFactorDashboardHttpTest {
    private static final String EMAIL = "ada@example.com";
    private static final String PASSWORD = "correct horse battery " + EMAIL; // as TestServer.signUp chooses it
    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final TestServer server = TestServer.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void enroll_with_the_qr_code_see_the_recovery_codes_once_renew_them_and_turn_it_off() throws Exception {
        Api ada = server.signUp(EMAIL);
        String cookie = "orgkeys_session=" + ada.sessionCookie().orElseThrow();
        assertTrue(get("/account", cookie).body().contains("href=\"/account/two-factor\""), "linked from the account page");
        var status = get("/account/two-factor", cookie);
        assertEquals(200, status.statusCode());
        assertTrue(status.body().contains("Two-factor sign-in is <strong>off</strong>"), status.body());

        var started = post("/account/two-factor/start", cookie, "_csrf=" + token(status.body()));
        assertEquals(200, started.statusCode(), started.body());
        assertEquals("no-store", started.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(started.body().contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), "the QR code, inline");
        assertTrue(started.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src"),
                "under the usual CSP");
        String secret = group(started.body(), "id=\"totp-secret\">([A-Z2-7]+)<");
        SecretKeySpec key = AuthenticatorApp.keyFromSecret(secret);

        String code = AuthenticatorApp.code(key, server.clock.instant());
        String wrong = "%06d".formatted((Integer.parseInt(code) + 1) % 1_000_000);
        var refused = post("/account/two-factor/confirm", cookie, "_csrf=" + token(started.body()) + "&code=" + wrong);
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("Two-factor sign-in is <strong>off</strong>"));

        var confirmed = post("/account/two-factor/confirm", cookie, "_csrf=" + token(refused.body()) + "&code=" + code);
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        List<String> codes = codes(confirmed.body());
        assertEquals(10, codes.size(), confirmed.body());
        var again = get("/account/two-factor", cookie);
        assertTrue(again.body().contains("Two-factor sign-in is <strong>on</strong>"), again.body());
        assertFalse(again.body().contains(codes.getFirst()), "the codes are shown once");
        assertTrue(ada.get("/api/account/two-factor").body().get("enabled").asBoolean());

        var badPassword = post("/account/two-factor/recovery-codes", cookie,
                "_csrf=" + token(again.body()) + "&currentPassword=wrong+password+here");
        assertEquals(422, badPassword.statusCode(), badPassword.body());
        var renewed = post("/account/two-factor/recovery-codes", cookie,
                "_csrf=" + token(again.body()) + "&currentPassword=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8));
        assertEquals(200, renewed.statusCode(), renewed.body());
        List<String> newCodes = codes(renewed.body());
        assertEquals(10, newCodes.size());
        assertFalse(newCodes.contains(codes.getFirst()));

        var off = post("/account/two-factor/disable", cookie,
                "_csrf=" + token(renewed.body()) + "&currentPassword=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8));
        assertEquals(303, off.statusCode(), off.body());
        assertEquals("/account/two-factor?notice=two-factor-disabled", off.headers().firstValue("Location").orElse(""));
        assertTrue(get("/account/two-factor", cookie).body().contains("Two-factor sign-in is <strong>off</strong>"));
        assertFalse(ada.get("/api/account/two-factor").body().get("enabled").asBoolean());
    }

    @Test
    void a_form_without_the_form_token_changes_nothing() throws Exception {
        Api ada = server.signUp(EMAIL);
        String cookie = "orgkeys_session=" + ada.sessionCookie().orElseThrow();
        var forged = post("/account/two-factor/start", cookie, "");
        assertEquals(403, forged.statusCode(), forged.body());
        assertFalse(ada.get("/api/account/two-factor").body().get("pending").asBoolean());
    }

    static List<String> codes(String html) {
        Matcher list = Pattern.compile("(?s)<ul id=\"recovery-codes\">(.*?)</ul>").matcher(html);
        if (!list.find()) return List.of();
        List<String> codes = new ArrayList<>();
        Matcher code = Pattern.compile("<code>([^<]+)</code>").matcher(list.group(1));
        while (code.find()) codes.add(code.group(1));
        return codes;
    }

    private static String group(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        assertTrue(m.find(), "no " + regex + " in " + html);
        return m.group(1);
    }

    private static String token(String html) {
        return group(html, TOKEN.pattern());
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.origin() + path)).header("Accept", "text/html")
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.origin() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", server.origin())
                .header("Cookie", cookie).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
