package com.orgkeys.bootstrap.browser;

import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.AuthenticatorApp;
import com.orgkeys.bootstrap.api.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import javax.crypto.spec.SecretKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two-factor sign-in in Chromium, as a new user would go through it: enrolling on /account/two-factor with the secret
 * the page shows (codes from an independent TOTP implementation), signing in with a code and with a recovery code,
 * and an organization that requires it guiding a member to enroll. Every state is checked (axe-core, both widths).
 */
class TwoFactorBrowserTest {
    private static final String EMAIL = "ada@example.com";
    private static final String BOB = "bob@example.com";
    private static final Duration STEP = Duration.ofSeconds(30);

    private final TestServer server = TestServer.start();
    private final Browser browser = new Browser(server.origin());

    @AfterEach
    void stop() {
        browser.close();
        server.close();
    }

    private static String password(String email) {
        return "correct horse battery " + email; // as TestServer.signUp chooses it
    }

    private String codeNow(SecretKeySpec key) {
        return AuthenticatorApp.code(key, server.clock.instant());
    }

    /** The password step of the dashboard's sign-in; a user with the app is then asked for a code. */
    private void signInWithPassword(String email) {
        browser.open("/sign-in");
        browser.type("#email", email);
        browser.type("#password", password(email));
        browser.click("#sign-in");
    }

    private void signOut() {
        browser.click("#user-menu");
        browser.click("#sign-out");
        browser.waitForPath("/sign-in");
    }

    private void secondFactor(String code) {
        browser.type("#second-factor-code", code);
        browser.click("#sign-in-second-factor");
    }

    /**
     * Enrolls the signed-in browser's user on /account/two-factor, the app fed with the key shown as text, and checks
     * each state of the page on the way; the recovery codes shown. The clock ends one step past the confirming code.
     */
    private SecretKeySpec enrollOnThePage(String checkPrefix) {
        browser.click("#start-totp");
        String secret = browser.find("#totp-secret").getText();
        assertEquals(1, browser.driver.findElements(By.cssSelector("#totp-qr svg")).size(), "the QR code is shown");
        browser.check(checkPrefix + "-enrolling");
        SecretKeySpec key = AuthenticatorApp.keyFromSecret(secret);
        browser.type("#totp-code", "%06d".formatted((Integer.parseInt(codeNow(key)) + 1) % 1_000_000));
        browser.click("#confirm-totp");
        browser.find("#totp-code[aria-invalid='true'], .field-error");
        browser.check(checkPrefix + "-wrong-code");
        browser.type("#totp-code", codeNow(key));
        browser.click("#confirm-totp");
        browser.waitForText("#two-factor-status", "is on");
        assertEquals(10, browser.driver.findElements(By.cssSelector("#recovery-codes li")).size());
        browser.check(checkPrefix + "-recovery-codes");
        server.clock.advance(STEP);
        return key;
    }

    @Test
    void a_new_user_enrolls_with_the_key_on_the_page_signs_out_and_signs_in_with_the_code() {
        Api ada = server.signUp(EMAIL); // another session of Ada's, as from another device
        assertEquals(201, ada.post("/api/organizations", body("name", "Acme")).status());
        signInWithPassword(EMAIL);
        browser.waitForPath("/agents");
        browser.open("/account");
        browser.click("#two-factor-link");
        browser.waitForText("#two-factor-status", "is off");
        browser.check("two-factor-off");

        SecretKeySpec key = enrollOnThePage("two-factor");
        assertEquals(401, ada.get("/api/me").status(), "turning it on ends the other sessions");
        browser.open("/account/two-factor");
        browser.waitForText("#two-factor-status", "Recovery codes left: 10");
        browser.check("two-factor-on");
        assertTrue(browser.driver.findElements(By.id("recovery-codes")).isEmpty(), "the codes are shown once");

        signOut();
        signInWithPassword(EMAIL);
        browser.find("#second-factor-code");
        String code = codeNow(key);
        secondFactor(code);
        browser.waitForPath("/agents");

        // the same code again, within its step: said plainly, and the next code works
        signOut();
        signInWithPassword(EMAIL);
        secondFactor(code);
        browser.waitForText("#page-error", "This code was already used; wait for the next one");
        browser.check("sign-in-second-factor-used-code");
        server.clock.advance(STEP);
        secondFactor(codeNow(key));
        browser.waitForPath("/agents");
    }

    @Test
    void a_recovery_code_signs_in_once() {
        Api ada = server.signUp(EMAIL);
        var started = ada.post("/api/account/two-factor/totp", Map.of());
        SecretKeySpec key = AuthenticatorApp.keyFromUri(started.text("uri"));
        var confirmed = ada.post("/api/account/two-factor/totp/confirm", body("code", codeNow(key)));
        assertEquals(200, confirmed.status(), confirmed.toString());
        List<String> recoveryCodes = new ArrayList<>();
        confirmed.body().get("recoveryCodes").forEach(c -> recoveryCodes.add(c.asText()));

        signInWithPassword(EMAIL);
        browser.find("#second-factor-code");
        secondFactor(recoveryCodes.get(3));
        browser.waitForPath("/organizations/new");
        browser.open("/account/two-factor");
        browser.waitForText("#two-factor-status", "Recovery codes left: 9");

        signOut();
        signInWithPassword(EMAIL);
        secondFactor(recoveryCodes.get(3));
        browser.find("#page-error");
        browser.check("sign-in-second-factor-used-recovery-code");
        assertEquals("/sign-in/second-factor", browser.path(), "no session from a used recovery code");
        secondFactor(recoveryCodes.get(4));
        browser.waitForPath("/organizations/new");
    }

    @Test
    void an_organization_that_requires_it_guides_a_member_without_it_to_enroll() {
        Api ada = server.signUp(EMAIL);
        assertEquals(201, ada.post("/api/organizations", body("name", "Acme")).status());
        Api bob = server.signUp(BOB);
        var invitation = ada.post("/api/invitations", body("email", BOB, "role", "org:member"));
        String url = invitation.text("acceptUrl");
        assertEquals(200, bob.post("/api/invitations/accept", body("token", url.substring(url.indexOf("token=") + 6))).status());

        // Ada, the admin, has no second factor herself: the dashboard says so rather than lock her out
        signInWithPassword(EMAIL);
        browser.waitForPath("/agents");
        browser.open("/settings");
        browser.waitForText("#members-without-second-factor", "2 members have no second factor yet");
        browser.check("settings-two-factor-optional");
        browser.click("#two-factor-policy-toggle");
        browser.waitForText("#page-error", "Turn on two-factor sign-in for your own account first");
        browser.check("settings-two-factor-refused");

        browser.open("/account/two-factor");
        enrollOnThePage("two-factor-admin");
        browser.open("/settings");
        browser.waitForText("#members-without-second-factor", "1 member has no second factor yet");
        browser.click("#two-factor-policy-toggle");
        browser.waitForText("#notice", "Two-factor sign-in is now required of every member.");
        browser.waitForText("#members-without-second-factor", "the next time they open this organization");
        browser.check("settings-two-factor-required");
        signOut();

        // Bob, without a second factor, is taken to set one up, told why, and then gets on with his work
        signInWithPassword(BOB);
        browser.waitForPath("/account/two-factor");
        browser.waitForText("#two-factor-required", "Acme requires two-factor sign-in");
        browser.check("two-factor-required-by-organization");
        browser.open("/settings");
        browser.waitForPath("/account/two-factor");
        enrollOnThePage("two-factor-required");
        browser.waitForText("#two-factor-required", "Acme is open again");
        browser.click("#continue-to-organization");
        browser.waitForPath("/agents");
        browser.open("/settings");
        browser.waitForPath("/settings");
        browser.find("#settings-tabs");
    }
}
