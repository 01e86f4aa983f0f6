package com.orgkeys.bootstrap.browser;

import com.orgkeys.bootstrap.api.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An instance administrator (ADMIN_EMAILS) creates a backend secret key from the account menu, copies it, and
 * revokes it, in Chromium; every state of the pages checked (axe-core, both widths).
 */
class SecretKeyBrowserTest {
    private static final String ADMIN = "ops@example.com";

    private final TestServer server = TestServer.start(Map.of("ADMIN_EMAILS", ADMIN));
    private final Browser browser = new Browser(server.origin());

    @AfterEach
    void stop() {
        browser.close();
        server.close();
    }

    @Test
    void an_administrator_finds_the_page_in_the_menu_creates_a_key_and_revokes_it() {
        server.signUp(ADMIN);
        browser.open("/sign-in");
        browser.type("#email", ADMIN);
        browser.type("#password", "correct horse battery " + ADMIN);
        browser.click("#sign-in");
        browser.waitForPath("/organizations/new");
        browser.click("#user-menu");
        browser.click("#secret-keys-link");
        browser.waitForPath("/admin/secret-keys");
        browser.find("#secret-keys-empty");
        browser.check("secret-keys-empty");

        browser.type("#secret-key-name", "billing backend");
        browser.type("#secret-key-password", "not my password");
        browser.click("#create-secret-key");
        browser.find("#secret-key-password[aria-invalid='true']");
        assertEquals("secret-key-password", ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("return document.activeElement.id;"));
        browser.check("secret-keys-wrong-password");

        browser.type("#secret-key-password", "correct horse battery " + ADMIN);
        browser.click("#create-secret-key");
        String secret = browser.find("#secret").getText();
        assertTrue(secret.startsWith("sk_orgkeys_"), secret);
        browser.check("secret-key-created");
        assertEquals(200, server.anonymous().withBearer(secret).get("/v1/api_keys?subject=" + UUID.randomUUID()).status());

        browser.click("#done");
        browser.waitForPath("/admin/secret-keys");
        browser.find("#secret-keys .revoke-secret-key");
        browser.check("secret-keys");
        browser.click("#secret-keys .revoke-secret-key");
        browser.find("#confirm-revoke-secret-key");
        browser.check("secret-key-revoke");
        browser.click("#confirm-revoke-secret-key");
        browser.waitForText("#notice", "Secret key revoked");
        assertEquals(401, server.anonymous().withBearer(secret).get("/v1/api_keys?subject=" + UUID.randomUUID()).status());
    }
}
