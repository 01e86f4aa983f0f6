package com.orgkeys.bootstrap.browser;

import com.orgkeys.bootstrap.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served API reference ({@code /docs}) in real headless Chromium, under the page's own CSP. */
class ApiReferenceBrowserTest {
    /**
     * Runs in every document before its own scripts: records each CSP violation the page reports. The policy
     * allows nothing but this origin (and data: images), so a request elsewhere would be one of them.
     */
    private static final String RECORD_VIOLATIONS = """
            window.__cspViolations = [];
            window.addEventListener('securitypolicyviolation', function (e) {
              window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
            }, true);
            """;

    static TestServer server;
    static Browser browser;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        browser = new Browser(server.origin());
        ((ChromeDriver) browser.driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", RECORD_VIOLATIONS));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    void docs_renders_the_served_document_under_a_strict_csp_without_a_request_leaving_the_server() throws Exception {
        HttpResponse<String> page = get("/docs");
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self';")
                && csp.contains("style-src 'self';") && csp.contains("connect-src 'self';")
                && csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe-") || csp.contains("http"), csp);

        browser.open("/docs");
        // The UI fetches /openapi.json and renders its operations: the bundle's parse can be slow on a busy machine.
        new WebDriverWait(browser.driver, Duration.ofSeconds(45)).until(d -> !d.findElements(
                By.cssSelector(".opblock-summary-path")).isEmpty());
        assertTrue(scrolledTo("/api/api-keys"), "the API key operations are not rendered");
        assertTrue(scrolledTo("/api/agents"), "the agent operations are not rendered");
        browser.find(".info .title");
        // An opened operation renders its parameters, schemas and highlighted examples: styles the UI sets itself.
        browser.click(".opblock-get .opblock-summary-path[data-path='/api/agents']");
        browser.find(".opblock.is-open .responses-wrapper");
        browser.screenshot("api-reference");

        JavascriptExecutor js = (JavascriptExecutor) browser.driver;
        assertEquals(List.of(), js.executeScript("return window.__cspViolations;"), "CSP violations");
        @SuppressWarnings("unchecked")
        List<String> requested = (List<String>) js.executeScript(
                "return [location.href].concat(performance.getEntriesByType('resource').map(function (e) { return e.name; }));");
        assertTrue(requested.contains(server.origin() + "/openapi.json"), "the document was not fetched: " + requested);
        assertTrue(requested.contains(server.origin() + "/docs/assets/swagger-ui-bundle.js"), requested.toString());
        for (String url : requested) {
            assertTrue(url.startsWith(server.origin() + "/"), "a request left the server: " + url + " in " + requested);
        }
    }

    @Test
    void only_the_reference_files_are_served_from_the_class_path() throws Exception {
        assertEquals(200, get("/docs/assets/swagger-ui.css").statusCode());
        for (String other : List.of("/docs/assets/index.html", "/docs/assets/swagger-initializer.js",
                "/docs/assets/..%2Fopenapi.json", "/docs/assets/..%2F..%2Fopenapi%2Fopenapi.json", "/docs/assets/app.css")) {
            HttpResponse<String> response = get(other);
            assertEquals(404, response.statusCode(), other);
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), other);
        }
    }

    /**
     * Whether the operation on {@code path} is rendered once scrolled to: the UI renders only the operations near
     * the viewport. Scrolls down from the top in steps, bounded, until it shows or the page ends.
     */
    private static boolean scrolledTo(String path) {
        JavascriptExecutor js = (JavascriptExecutor) browser.driver;
        By operation = By.cssSelector(".opblock-summary-path[data-path='" + path + "']");
        js.executeScript("window.scrollTo(0, 0)");
        for (int step = 0; step < 500; step++) {
            if (!browser.driver.findElements(operation).isEmpty()) {
                js.executeScript("arguments[0].scrollIntoView({block: 'center'})", browser.driver.findElement(operation));
                return true;
            }
            Object atEnd = js.executeScript("var before = window.scrollY; window.scrollBy(0, 300);"
                    + " return window.scrollY === before;");
            if (Boolean.TRUE.equals(atEnd)) return !browser.driver.findElements(operation).isEmpty();
        }
        return false;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.origin() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
