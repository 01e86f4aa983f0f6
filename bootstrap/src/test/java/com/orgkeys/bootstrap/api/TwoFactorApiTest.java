package com.orgkeys.bootstrap.api;

import com.orgkeys.application.account.service.SecondFactorSignInService;
import com.orgkeys.application.mail.port.out.SignInMail;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail.Change;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two-factor sign-in over the JSON API. The codes come from an independent RFC 6238 implementation
 * (com.eatthepath:java-otp, on javax.crypto), fed the secret parsed from the otpauth:// URI the server answered.
 */
class TwoFactorApiTest {
    private static final String EMAIL = "ada@example.com";
    private static final String PASSWORD = "correct horse battery " + EMAIL; // as TestServer.signUp chooses it
    private static final Duration STEP = Duration.ofSeconds(30);

    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private String codeNow(SecretKeySpec key) {
        return AuthenticatorApp.code(key, server.clock.instant());
    }

    private record Enrolled(Api api, SecretKeySpec key, List<String> recoveryCodes) {
    }

    /** Ada signs up and turns two-factor sign-in on; the clock is then one step past the confirming code. */
    private Enrolled enroll() {
        Api ada = server.signUp(EMAIL);
        var started = ada.post("/api/account/two-factor/totp", Map.of());
        assertEquals(200, started.status(), started.toString());
        String uri = started.text("uri");
        assertTrue(uri.startsWith("otpauth://totp/orgkeys:ada@example.com?secret=" + started.text("secret")
                + "&issuer=orgkeys&algorithm=SHA1&digits=6&period=30"), uri);
        SecretKeySpec key = AuthenticatorApp.keyFromUri(uri);
        var wrong = ada.post("/api/account/two-factor/totp/confirm", body("code", wrongCode(codeNow(key))));
        assertEquals(422, wrong.status(), wrong.toString());
        var confirmed = ada.post("/api/account/two-factor/totp/confirm", body("code", codeNow(key)));
        assertEquals(200, confirmed.status(), confirmed.toString());
        List<String> codes = new ArrayList<>();
        confirmed.body().get("recoveryCodes").forEach(c -> codes.add(c.asText()));
        assertEquals(10, codes.size());
        server.clock.advance(STEP);
        return new Enrolled(ada, key, codes);
    }

    private static String wrongCode(String code) {
        return "%06d".formatted((Integer.parseInt(code) + 1) % 1_000_000);
    }

    /** A password sign-in of Ada from {@code browser}: the pending answer's token. */
    private String pending(Api browser) {
        var signIn = browser.post("/api/auth/sign-in", body("email", EMAIL, "password", PASSWORD));
        assertEquals(202, signIn.status(), signIn.toString());
        assertEquals("needs_second_factor", signIn.text("status"));
        assertEquals("[\"totp\",\"recovery_code\"]", signIn.body().get("factors").toString());
        assertNull(signIn.header("Set-Cookie"), "no session before the second factor");
        return signIn.text("signInToken");
    }

    private Api.Response second(Api browser, String token, String field, String code) {
        return browser.post("/api/auth/sign-in/second-factor", body("signInToken", token, field, code));
    }

    @Test
    void enroll_sign_out_and_sign_in_again_with_a_code_from_the_app() {
        Enrolled ada = enroll();
        var status = ada.api().get("/api/account/two-factor");
        assertEquals(200, status.status(), status.toString());
        assertTrue(status.body().get("enabled").asBoolean());
        assertEquals(10, status.body().get("recoveryCodesLeft").asInt());
        assertEquals(204, ada.api().post("/api/auth/sign-out", Map.of()).status());

        Api browser = server.anonymous();
        String token = pending(browser);
        assertEquals(401, browser.get("/api/me").status(), "pending is not signed in");
        var wrongInput = second(browser, token, "code", "12345");
        assertEquals(422, wrongInput.status(), wrongInput.toString());

        String code = codeNow(ada.key());
        var signedIn = second(browser, token, "code", code);
        assertEquals(200, signedIn.status(), signedIn.toString());
        assertEquals(EMAIL, signedIn.body().get("user").get("email").asText());
        assertEquals(200, browser.get("/api/me").status());
        server.mailer.await(TwoFactorChangedMail.class, m -> m.change() == Change.ENABLED, Duration.ofSeconds(20));

        Api other = server.anonymous();
        var replayed = second(other, pending(other), "code", code);
        assertEquals(401, replayed.status(), "a code works once: " + replayed);
        assertEquals(SecondFactorSignInService.USED_CODE, replayed.text("detail"), "and says so");
        assertTrue(other.sessionCookie().isEmpty());
        var wrong = second(other, pending(other), "code", wrongCode(codeNow(ada.key())));
        assertEquals(SecondFactorSignInService.WRONG_CODE, wrong.text("detail"), "a wrong code is not a used one");
    }

    @Test
    void turning_it_on_signs_out_the_users_other_sessions_and_keeps_this_one() {
        Api ada = server.signUp(EMAIL);
        assertEquals(201, ada.post("/api/organizations", body("name", "Engines")).status());
        Api laptop = server.anonymous(); // a session opened with the password alone, say by whoever stole it
        assertEquals(200, laptop.post("/api/auth/sign-in", body("email", EMAIL, "password", PASSWORD)).status());
        assertEquals(200, laptop.get("/api/me").status());

        var started = ada.post("/api/account/two-factor/totp", Map.of());
        assertEquals(200, laptop.get("/api/me").status(), "a pending enrollment ends nothing");
        SecretKeySpec key = AuthenticatorApp.keyFromUri(started.text("uri"));
        assertEquals(200, ada.post("/api/account/two-factor/totp/confirm", body("code", codeNow(key))).status());

        assertEquals(401, laptop.get("/api/me").status(), "the other session ended");
        assertEquals(200, ada.get("/api/me").status(), "the one that turned it on goes on");
        List<String> details = new ArrayList<>();
        ada.get("/api/audit-events").body().get("data").forEach(e -> {
            if (e.get("action").asText().equals("user.two_factor.enabled")) details.add(e.get("details").asText());
        });
        assertEquals(List.of("recovery_codes=10 other_sessions_revoked=1"), details);
    }

    @Test
    void the_admins_of_the_users_organization_see_the_changes_in_its_audit_log() {
        Api admin = server.signUp("grace@example.com");
        admin.post("/api/organizations", body("name", "Engines"));
        Enrolled ada = enroll();
        var invitation = admin.post("/api/invitations", body("email", EMAIL, "role", "org:member"));
        String url = invitation.text("acceptUrl");
        assertEquals(200, ada.api().post("/api/invitations/accept",
                body("token", url.substring(url.indexOf("token=") + 6))).status());
        assertEquals(204, ada.api().post("/api/account/two-factor/totp/disable", body("currentPassword", PASSWORD))
                .status());

        String adaId = ada.api().get("/api/me").body().get("user").get("id").asText();
        List<String> actions = new ArrayList<>();
        admin.get("/api/audit-events").body().get("data").forEach(e -> {
            if (e.get("actor").asText().equals("user:" + adaId)) actions.add(e.get("action").asText());
        });
        assertTrue(actions.contains("user.two_factor.disabled"), actions.toString());
        server.mailer.await(TwoFactorChangedMail.class, m -> m.change() == Change.DISABLED, Duration.ofSeconds(20));
    }

    @Test
    void a_recovery_code_works_once() {
        Enrolled ada = enroll();
        String recovery = ada.recoveryCodes().get(0);
        Api browser = server.anonymous();
        var signedIn = second(browser, pending(browser), "recoveryCode", recovery);
        assertEquals(200, signedIn.status(), signedIn.toString());
        assertTrue(browser.sessionCookie().isPresent());
        server.mailer.await(TwoFactorChangedMail.class, m -> m.change() == Change.RECOVERY_CODE_USED,
                Duration.ofSeconds(20));

        Api again = server.anonymous();
        assertEquals(401, second(again, pending(again), "recoveryCode", recovery).status());
        assertEquals(9, browser.get("/api/account/two-factor").body().get("recoveryCodesLeft").asInt());

        var regenerated = browser.post("/api/account/two-factor/recovery-codes", body("currentPassword", PASSWORD));
        assertEquals(200, regenerated.status(), regenerated.toString());
        Api third = server.anonymous();
        assertEquals(401, second(third, pending(third), "recoveryCode", ada.recoveryCodes().get(1)).status(),
                "the old codes stopped working");
    }

    @Test
    void turning_it_off_needs_the_current_password() {
        Enrolled ada = enroll();
        var wrong = ada.api().post("/api/account/two-factor/totp/disable", body("currentPassword", "not my password"));
        assertEquals(422, wrong.status(), wrong.toString());
        assertTrue(ada.api().get("/api/account/two-factor").body().get("enabled").asBoolean());

        var off = ada.api().post("/api/account/two-factor/totp/disable", body("currentPassword", PASSWORD));
        assertEquals(204, off.status(), off.toString());
        assertFalse(ada.api().get("/api/account/two-factor").body().get("enabled").asBoolean());
        var signIn = server.anonymous().post("/api/auth/sign-in", body("email", EMAIL, "password", PASSWORD));
        assertEquals(200, signIn.status(), "a plain sign-in again: " + signIn);
    }

    @Test
    void a_mailed_link_of_a_totp_user_ends_pending_too() {
        Enrolled ada = enroll();
        assertEquals(202, server.anonymous().post("/api/auth/sign-in/email", body("email", EMAIL)).status());
        SignInMail mail = server.mailer.await(SignInMail.class, m -> m.to().value().equals(EMAIL), Duration.ofSeconds(20));
        String linkToken = mail.signInUrl().substring(mail.signInUrl().indexOf("token=") + "token=".length());

        Api browser = server.anonymous();
        var byLink = browser.post("/api/auth/sign-in/link", body("token", linkToken));
        assertEquals(202, byLink.status(), byLink.toString());
        assertTrue(browser.sessionCookie().isEmpty());
        assertEquals(401, browser.get("/api/me").status());
        var signedIn = second(browser, byLink.text("signInToken"), "code", codeNow(ada.key()));
        assertEquals(200, signedIn.status(), signedIn.toString());
    }

    /** A form post to the dashboard with {@code cookie}, from this site. */
    private java.net.http.HttpResponse<String> postForm(String path, String cookie, String form) throws Exception {
        return DashboardFormHttpTest.http.send(java.net.http.HttpRequest.newBuilder(URI.create(server.origin() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", server.origin())
                .header("Cookie", cookie).POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_dashboards_password_sign_in_asks_a_totp_user_for_the_code_before_any_session() throws Exception {
        Enrolled ada = enroll();
        var page = DashboardFormHttpTest.http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(server.origin() + "/sign-in")).header("Accept", "text/html").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String pre = DashboardFormHttpTest.cookiePair(page, "orgkeys_form");
        var asked = postForm("/sign-in", pre, "email=" + DashboardFormHttpTest.enc(EMAIL) + "&password="
                + DashboardFormHttpTest.enc(PASSWORD) + "&next=%2Fsessions&_csrf="
                + DashboardFormHttpTest.enc(DashboardFormHttpTest.token(page.body())));
        assertEquals(200, asked.statusCode(), asked.body());
        assertTrue(asked.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("orgkeys_session=")),
                "no session before the code: " + asked.headers());
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"signInToken\" value=\"([^\"]+)\"")
                .matcher(asked.body());
        assertTrue(token.find(), asked.body());

        String form = "signInToken=" + DashboardFormHttpTest.enc(token.group(1)) + "&next=%2Fsessions&_csrf="
                + DashboardFormHttpTest.enc(DashboardFormHttpTest.token(asked.body()));
        var wrong = postForm("/sign-in/second-factor", pre, form + "&code=" + wrongCode(codeNow(ada.key())));
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertTrue(wrong.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("orgkeys_session=")));
        var signedIn = postForm("/sign-in/second-factor", pre, form + "&code=" + codeNow(ada.key()));
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        assertEquals("/sessions", signedIn.headers().firstValue("Location").orElse(""));
        String session = DashboardFormHttpTest.cookiePair(signedIn, "orgkeys_session");
        assertEquals(200, server.anonymous().withSessionCookie(session.substring(session.indexOf('=') + 1))
                .get("/api/me").status());
    }

    @Test
    void five_wrong_codes_then_the_right_one_is_refused() {
        Enrolled ada = enroll();
        Api browser = server.anonymous();
        String token = pending(browser);
        String wrong = wrongCode(codeNow(ada.key()));
        for (int i = 0; i < 5; i++) assertEquals(401, second(browser, token, "code", wrong).status());
        server.clock.advance(Duration.ofMinutes(3).plusSeconds(1)); // past the throttle's window; the token lives 5 min
        var right = second(browser, token, "code", codeNow(ada.key()));
        assertEquals(401, right.status(), right.toString());
        assertTrue(browser.sessionCookie().isEmpty());
    }

    @Test
    void twenty_parallel_guesses_get_no_more_than_five_compared() throws Exception {
        Enrolled ada = enroll();
        String token = pending(server.anonymous());
        String wrong = wrongCode(codeNow(ada.key()));
        int parallel = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                // each from an address of its own (through the trusted proxy), so the per-address limit is not
                // what stops them
                Api guesser = server.anonymous().forwardedFor("198.51.100." + (i + 1));
                futures.add(pool.submit(() -> {
                    start.await();
                    return second(guesser, token, "code", wrong).status();
                }));
            }
            start.countDown();
            for (Future<Integer> f : futures) statuses.add(f.get());
        } finally {
            pool.shutdownNow();
        }
        assertFalse(statuses.contains(200), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 401 || s == 429), statuses.toString());
        try (Connection db = TestPostgres.connect(server.database);
             ResultSet row = db.createStatement().executeQuery(
                     "SELECT max(attempts) FROM account_tokens WHERE purpose = 'second_factor'")) {
            assertTrue(row.next());
            assertTrue(row.getInt(1) <= 5, "guesses counted past the limit: " + row.getInt(1));
        }
        server.clock.advance(Duration.ofMinutes(3).plusSeconds(1));
        var right = second(server.anonymous().forwardedFor("198.51.100.200"), token, "code", codeNow(ada.key()));
        assertTrue(right.status() == 401 || right.status() == 429, right.toString());
    }
}
