package com.orgkeys.bootstrap.browser;

import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.AuthenticatorApp;
import com.orgkeys.bootstrap.api.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.time.Duration;
import java.util.Map;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two-factor sign-in page in Chromium: checked (axe-core, both widths) like every dashboard page. */
class TwoFactorBrowserTest {
    private static final String EMAIL = "ada@example.com";
    private static final String PASSWORD = "correct horse battery " + EMAIL; // as TestServer.signUp chooses it

    private final TestServer server = TestServer.start();
    private final Browser browser = new Browser(server.origin());

    @AfterEach
    void stop() {
        browser.close();
        server.close();
    }

    private String codeNow(SecretKeySpec key) throws Exception {
        return AuthenticatorApp.code(key, server.clock.instant());
    }

    @Test
    void a_totp_user_signs_in_with_the_code_on_a_page_that_passes_the_checks() throws Exception {
        Api ada = server.signUp(EMAIL);
        var started = ada.post("/api/account/two-factor/totp", Map.of());
        assertEquals(200, started.status(), started.toString());
        SecretKeySpec key = AuthenticatorApp.keyFromSecret(started.text("secret"));
        assertEquals(200, ada.post("/api/account/two-factor/totp/confirm", body("code", codeNow(key))).status());
        server.clock.advance(Duration.ofSeconds(30)); // the confirming code is used

        browser.open("/sign-in");
        browser.type("#email", EMAIL);
        browser.type("#password", PASSWORD);
        browser.click("#sign-in");
        browser.find("#second-factor-code");
        browser.check("sign-in-second-factor");
        String right = codeNow(key);
        browser.type("#second-factor-code", "%06d".formatted((Integer.parseInt(right) + 1) % 1_000_000));
        browser.click("#sign-in-second-factor");
        browser.find("#page-error, .field-error");
        browser.check("sign-in-second-factor-wrong");
        browser.type("#second-factor-code", right);
        browser.click("#sign-in-second-factor");
        browser.waitForPath("/organizations/new");
    }
}
