package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's passkey forms over plain posts, answered by a {@link SoftwarePasskey} where passkeys.js would ask
 * the browser: adding (a name first, errors next to the field), a missing answer, removing with the password, the
 * passkey as the second step after the password form and alone from the sign-in page.
 */
class PasskeyDashboardHttpTest {
    private static final String EMAIL = "ada@example.com";
    private static final String PASSWORD = "correct horse battery " + EMAIL; // as TestServer.signUp chooses it
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestServer server = TestServer.start();
    private final HttpClient http = HttpClient.newHttpClient();
    private final SoftwarePasskey passkey = new SoftwarePasskey(server.app.origin().toString());

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void add_a_passkey_by_name_then_sign_in_with_it_after_the_password_and_alone_and_remove_it() throws Exception {
        Api ada = server.signUp(EMAIL);
        String cookie = "orgkeys_session=" + ada.sessionCookie().orElseThrow();
        var page = get("/account/two-factor", cookie);
        var unnamed = post("/account/passkeys/start", cookie, "_csrf=" + token(page.body()) + "&name=+");
        assertEquals(422, unnamed.statusCode(), unnamed.body());
        assertTrue(unnamed.body().contains("aria-invalid=\"true\" aria-describedby=\"passkey-name-error\""), unnamed.body());
        assertTrue(unnamed.body().contains("id=\"passkey-name-error\""), "the error next to the field");

        var started = post("/account/passkeys/start", cookie, "_csrf=" + token(page.body()) + "&name=laptop");
        assertEquals(200, started.statusCode(), started.body());
        String ceremony = group(started.body(), "name=\"ceremonyId\" value=\"([^\"]+)\"");
        var noAnswer = post("/account/passkeys", cookie, "_csrf=" + token(started.body()) + "&ceremonyId=" + ceremony
                + "&name=laptop&credential=");
        assertEquals(422, noAnswer.statusCode(), noAnswer.body());
        assertTrue(noAnswer.body().contains("The passkey was not added"), noAnswer.body());

        var again = post("/account/passkeys/start", cookie, "_csrf=" + token(page.body()) + "&name=laptop");
        String answer = passkey.create(options(again.body())).toString();
        var added = post("/account/passkeys", cookie, "_csrf=" + token(again.body()) + "&ceremonyId="
                + group(again.body(), "name=\"ceremonyId\" value=\"([^\"]+)\"") + "&name=laptop&credential=" + encode(answer));
        // the first second factor: its recovery codes are shown on this answer, once
        assertEquals(200, added.statusCode(), added.body());
        assertEquals("no-store", added.headers().firstValue("Cache-Control").orElse(""));
        String recoveryCode = group(added.body(), "<ul id=\"recovery-codes\">\\s*<li><code>([^<]+)</code>");
        var listed = get("/account/two-factor", cookie);
        assertFalse(listed.body().contains("id=\"recovery-codes\""), "shown once");
        assertTrue(listed.body().contains("Recovery codes left: 10."), listed.body());
        assertTrue(listed.body().contains("id=\"regenerate-codes\""), "passkeys alone regenerate the codes");
        assertTrue(listed.body().contains("<strong class=\"passkey-name\">laptop</strong>"), listed.body());
        assertTrue(listed.body().contains("Two-factor sign-in is <strong>on</strong> with your passkeys"), listed.body());

        // after the password: the page offers the passkey, not a code
        var signIn = get("/sign-in", "");
        String form = formCookie(signIn); // the anonymous forms' tokens are bound to it
        var pending = post("/sign-in", form, "_csrf=" + token(signIn.body()) + "&email=" + encode(EMAIL) + "&password="
                + encode(PASSWORD));
        assertEquals(200, pending.statusCode(), pending.body());
        assertFalse(pending.body().contains("id=\"second-factor-code\""), "no authenticator app");
        assertTrue(pending.body().contains("id=\"second-factor-recovery-code\""), "a recovery code instead");
        var second = post("/sign-in/second-factor/passkey", form, "_csrf=" + token(pending.body()) + "&signInToken="
                + group(pending.body(), "name=\"signInToken\" value=\"([^\"]+)\"") + "&next=%2F&app=false&ceremonyId="
                + group(pending.body(), "name=\"ceremonyId\" value=\"([^\"]+)\"") + "&credential="
                + encode(passkey.get(options(pending.body())).toString()));
        assertEquals(303, second.statusCode(), second.body());
        assertTrue(second.headers().firstValue("Set-Cookie").orElse("").startsWith("orgkeys_session="));

        // alone: "Sign in with a passkey" starts a ceremony, the answer opens a session
        var start = post("/sign-in/passkey/start", form, "_csrf=" + token(signIn.body()) + "&next=");
        assertEquals(200, start.statusCode(), start.body());
        var alone = post("/sign-in/passkey", form, "_csrf=" + token(start.body()) + "&next=%2Fagents&ceremonyId="
                + group(start.body(), "name=\"ceremonyId\" value=\"([^\"]+)\"") + "&credential="
                + encode(passkey.get(options(start.body())).toString()));
        assertEquals(303, alone.statusCode(), alone.body());
        assertEquals("/agents", alone.headers().firstValue("Location").orElse(""));
        var refused = post("/sign-in/passkey", form, "_csrf=" + token(start.body()) + "&ceremonyId="
                + group(start.body(), "name=\"ceremonyId\" value=\"([^\"]+)\"") + "&credential="
                + encode(passkey.get(options(start.body())).toString()));
        assertEquals(401, refused.statusCode(), "the ceremony is spent: " + refused.body());

        // a passkey-only account's recovery code on the second-factor page
        var again2 = post("/sign-in", form, "_csrf=" + token(signIn.body()) + "&email=" + encode(EMAIL) + "&password="
                + encode(PASSWORD));
        var recovered = post("/sign-in/second-factor", form, "_csrf=" + token(again2.body()) + "&signInToken="
                + group(again2.body(), "name=\"signInToken\" value=\"([^\"]+)\"") + "&next=%2F&code="
                + encode(recoveryCode));
        assertEquals(303, recovered.statusCode(), recovered.body());
        assertEquals(9, ada.get("/api/account/two-factor").body().get("recoveryCodesLeft").asInt());

        String id = ada.get("/api/account/passkeys").body().get("data").get(0).get("id").asText();
        var wrong = post("/account/passkeys/" + id + "/remove", cookie, "_csrf=" + token(listed.body())
                + "&currentPassword=not+the+password");
        assertEquals(422, wrong.statusCode(), wrong.body());
        assertTrue(wrong.body().contains("aria-describedby=\"remove-" + id + "-error\""), wrong.body());
        var removed = post("/account/passkeys/" + id + "/remove", cookie, "_csrf=" + token(listed.body())
                + "&currentPassword=" + encode(PASSWORD));
        assertEquals(303, removed.statusCode(), removed.body());
        assertEquals("/account/two-factor?notice=last-passkey-removed", removed.headers().firstValue("Location").orElse(""));
        assertEquals(0, ada.get("/api/account/passkeys").body().get("data").size());
        assertEquals(0, ada.get("/api/account/two-factor").body().get("recoveryCodesLeft").asInt());
    }

    /** The WebAuthn options of the page's passkey button (data-options, HTML-escaped JSON). */
    static JsonNode options(String html) throws Exception {
        String escaped = group(html, "data-options=\"([^\"]+)\"");
        return JSON.readTree(escaped.replace("&#34;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&"));
    }

    private static String formCookie(HttpResponse<String> page) {
        return page.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                .filter(c -> c.startsWith("orgkeys_form=")).findFirst().orElseThrow();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String group(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        assertTrue(m.find(), "no " + regex + " in " + html);
        return m.group(1);
    }

    private static String token(String html) {
        return group(html, "name=\"_csrf\" value=\"([^\"]+)\"");
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.origin() + path)).header("Accept", "text/html");
        if (!cookie.isEmpty()) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.origin() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", server.origin())
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (!cookie.isEmpty()) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
