package com.orgkeys.bootstrap.browser;

import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.TestServer;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24 in Chromium: the Webhooks tab as a new user tries it. An endpoint added with the form, pointing at a small
 * receiver on this machine (WEBHOOKS_ALLOW_PRIVATE=true, as a developer runs it), gets a test event, whose attempt is
 * then listed; the secret revealed, rotated, the endpoint deleted. Every page checked with axe-core at 1280 and 390 px.
 */
class WebhookBrowserTest {
    static TestServer server;
    static Browser browser;
    static HttpServer receiver;
    static final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            exchange.getRequestBody().readAllBytes();
            // a long unbroken answer: the attempt list must wrap it at 390 px, not scroll sideways
            byte[] answer = ("ok-" + "x".repeat(300)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        server = TestServer.start(Map.of("WEBHOOKS_ALLOW_PRIVATE", "true"));
        browser = new Browser(server.origin());
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
        if (receiver != null) receiver.stop(0);
    }

    @Test
    void an_endpoint_added_in_the_tab_gets_a_test_event_and_lists_its_attempt() throws Exception {
        String email = "hooks-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Api admin = server.signUp(email);
        assertEquals(201, admin.post("/api/organizations", Api.body("name", "Hooks")).status());
        browser.open("/sign-in");
        browser.type("#email", email);
        browser.type("#password", "correct horse battery " + email);
        browser.click("#sign-in");
        browser.find("#user-menu");

        browser.open("/settings");
        browser.click("#tab-webhooks");
        browser.waitForPath("/settings/webhooks");
        browser.find("#endpoints-empty");
        browser.click("#add-endpoint");
        browser.waitForPath("/settings/webhooks/new");

        // refused: the error next to the field, the field marked
        browser.type("#endpoint-url", "ftp://example.com/hooks");
        browser.click("#create-endpoint");
        browser.waitForText("#endpoint-url-error", "https");
        assertEquals("true", browser.find("#endpoint-url").getAttribute("aria-invalid"));
        browser.check("webhook-new-refused");

        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/" + "a".repeat(80);
        browser.type("#endpoint-url", url);
        browser.type("#endpoint-description", "local receiver");
        browser.click("input[name=eventTypes][value='apiKey.created']");
        browser.click("#create-endpoint");
        browser.waitForText("#notice", "Webhook endpoint added");
        browser.waitForText("#endpoint-events", "apiKey.created");
        browser.waitForText("#attempts-empty", "No attempts yet");

        browser.click("#send-test");
        browser.waitForText("#notice", "Test event queued");
        String message = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(message, "no test event within 20 s");
        // the attempt is recorded once the answer is read: reload until it is listed (the wait's deadline bounds it)
        browser.wait.until(d -> {
            d.navigate().refresh();
            return !d.findElements(By.cssSelector("tr[data-message='" + message + "'] .attempt-status")).isEmpty();
        });
        browser.waitForText("tr[data-message='" + message + "'] .attempt-status", "succeeded");
        browser.waitForText("tr[data-message='" + message + "'] .attempt-response", "200");
        browser.waitForText("#endpoint-last-attempt", "HTTP 200");
        browser.check("webhook-detail-with-attempt");

        browser.click("#back-to-webhooks");
        browser.waitForPath("/settings/webhooks");
        browser.waitForText("#webhook-endpoints .last-attempt", "HTTP 200");
        browser.check("webhooks-list");

        browser.find("#webhook-endpoints a.endpoint-detail").click();
        browser.click("#detail-edit");
        browser.find("#endpoint-url");
        browser.check("webhook-edit");
        browser.click("#save-endpoint");
        browser.waitForText("#notice", "Webhook endpoint saved");

        browser.click("#reveal-secret");
        String secret = browser.find("#secret").getText();
        assertTrue(secret.startsWith("whsec_"), secret);
        browser.check("webhook-secret");
        browser.click("#done");
        assertFalse(browser.driver.getPageSource().contains(secret), "the secret only on the reveal's answer");

        browser.click("#rotate-secret");
        browser.find("#confirm-rotate");
        browser.check("webhook-rotate");
        browser.click("#confirm-rotate");
        browser.waitForText("#notice", "Secret rotated");
        browser.waitForText("#endpoint-previous-secret", "still signs");

        browser.click("#detail-delete");
        browser.find("#confirm-delete");
        browser.check("webhook-delete");
        browser.click("#confirm-delete");
        browser.waitForText("#notice", "Webhook endpoint deleted");
        browser.find("#endpoints-empty");
        assertEquals(0, admin.get("/api/webhooks/endpoints").body().get("data").size());
    }
}
