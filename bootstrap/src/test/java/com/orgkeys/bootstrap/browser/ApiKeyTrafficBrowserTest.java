package com.orgkeys.bootstrap.browser;

import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 25 in Chromium: a key's traffic controls (IP allowlist, rate limit, the organization's default) and its
 * rotation with a grace period, from its own page; every state checked with axe-core at 1280 and 390 px.
 */
class ApiKeyTrafficBrowserTest {
    static TestServer server;
    static Browser browser;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        browser = new Browser(server.origin());
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @BeforeEach
    void freshBrowserSession() {
        browser.open("/static/app.css");
        browser.driver.manage().deleteAllCookies();
    }

    /** A verified admin of a new organization, signed in in the browser; the API as them. */
    private static Api signedInAdmin() {
        String email = "admin-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Api admin = server.signUp(email);
        assertEquals(201, admin.post("/api/organizations", Api.body("name", "Traffic")).status());
        browser.open("/sign-in");
        browser.type("#email", email);
        browser.type("#password", "correct horse battery " + email);
        browser.click("#sign-in");
        browser.find("#user-menu");
        return admin;
    }

    private static int whoami(String secret) {
        return server.anonymous().withBearer(secret).get("/api/whoami").status();
    }

    @Test
    void a_keys_allowlist_and_rate_limit_and_the_organizations_default_are_set_from_the_pages() {
        Api admin = signedInAdmin();
        var key = admin.post("/api/api-keys", Api.body("name", "fenced"));
        String id = key.text("id");

        browser.open("/settings/api-keys/" + id);
        browser.waitForText("#allowlist-summary", "Any address");
        browser.waitForText("#rate-limit-applies", "None");
        browser.check("api-key-traffic");

        browser.type("#key-allowlist", "192.0.2.0/24\n\n10.0.0.300\n2001:db8::1/32");
        browser.click("#save-allowlist");
        browser.waitForText("#key-allowlist-error", "2 lines need fixing");
        List<String> lines = browser.driver.findElements(By.cssSelector("#key-allowlist-error li")).stream()
                .map(e -> e.getText()).toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("Line 3: '10.0.0.300'") && lines.get(1).contains("did you mean 2001:db8::/32?"), lines.toString());
        assertEquals("true", browser.find("#key-allowlist").getAttribute("aria-invalid"));
        assertEquals("key-allowlist", js("return document.activeElement.id;"), "the field to fix has the focus");
        browser.check("api-key-allowlist-errors");

        browser.type("#key-allowlist", "127.0.0.1\n::1\n192.0.2.0/24");
        browser.click("#save-allowlist");
        browser.waitForText("#notice", "IP allowlist saved");
        browser.waitForText("#allowlist-summary", "3 ranges");
        assertEquals(200, whoami(key.text("secret")), "the test's own address is on the list");

        browser.type("#rate-limit-requests", "100");
        browser.type("#rate-limit-window", "60");
        browser.click("#save-rate-limit");
        browser.waitForText("#notice", "Rate limit saved");
        browser.waitForText("#rate-limit-applies", "100 requests per minute: this key's own limit");
        browser.check("api-key-traffic-set");

        browser.click("#back-to-keys");
        browser.waitForPath("/settings/api-keys");
        browser.waitForText("#default-rate-limit-summary", "none");
        browser.type("#default-requests", "1000");
        browser.type("#default-window", "3600");
        browser.click("#save-default-rate-limit");
        browser.waitForText("#notice", "Default rate limit saved");
        browser.waitForText("#default-rate-limit-summary", "1,000 requests per hour");
        browser.check("api-keys-default-rate-limit");

        browser.find("tr[data-key='fenced'] a.key-detail").click();
        browser.waitForText("#rate-limit-applies", "instead of the organization's default, 1,000 requests per hour");
        browser.click("#remove-rate-limit");
        browser.waitForText("#notice", "rate limit is removed");
        browser.waitForText("#rate-limit-applies", "1,000 requests per hour: the organization's default");
        assertTrue(browser.driver.findElements(By.id("remove-rate-limit")).isEmpty(), "nothing of its own left to remove");
        assertTrue(admin.get("/api/api-keys/" + id).body().get("rateLimit").isNull());
    }

    @Test
    void a_key_rotated_with_a_grace_period_shows_its_new_secret_once_and_its_page_shows_both_states() {
        Api admin = signedInAdmin();
        var key = admin.post("/api/api-keys", Api.body("name", "rotated"));
        String id = key.text("id");
        String oldSecret = key.text("secret");

        browser.open("/settings/api-keys/" + id);
        assertTrue(browser.driver.findElements(By.id("key-rotation")).isEmpty(), "never rotated");
        browser.click("#detail-rotate");
        browser.waitForPath("/settings/api-keys/" + id + "/rotate");
        browser.check("api-key-rotate");
        browser.click("#confirm-rotate"); // no grace period chosen: asked, not guessed
        browser.find("#rotate-grace-error");
        browser.check("api-key-rotate-unchosen");
        browser.click("input[name=grace][value='3600']");
        browser.click("#confirm-rotate");
        String secret = browser.find("#secret").getText();
        assertTrue(secret.startsWith("ok_") && !secret.equals(oldSecret), secret);
        browser.waitForText("#previous-secret", "in ");
        browser.check("api-key-rotated");
        assertEquals(200, whoami(secret));
        assertEquals(200, whoami(oldSecret), "the old secret works during the grace period");

        browser.click("#done");
        browser.waitForPath("/settings/api-keys");
        browser.driver.navigate().back();
        browser.wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
        assertFalse(browser.driver.getPageSource().contains(secret), "the secret shown again after going back");

        browser.open("/settings/api-keys/" + id);
        browser.waitForText("#previous-secret-works", "still works, until in ");
        browser.waitForText("#key-history", "Rotated");
        browser.check("api-key-detail-in-grace-period");

        server.clock.advance(Duration.ofHours(2)); // past the grace period
        assertEquals(401, whoami(oldSecret), "the old secret stops when its grace period ends");
        assertEquals(200, whoami(secret));
        browser.open("/settings/api-keys/" + id);
        browser.waitForText("#previous-secret-stopped", "stopped working 1 hour ago");
        assertTrue(browser.driver.findElements(By.id("previous-secret-works")).isEmpty());
        browser.check("api-key-detail-grace-period-over");
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser.driver).executeScript(script);
    }
}
