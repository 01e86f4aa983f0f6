package com.orgkeys.bootstrap.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Browser#check} fails where it should: the checks the dashboard's pages pass are not empty. */
class BrowserCheckTest {
    static Browser browser;

    @BeforeAll
    static void start() {
        browser = new Browser("http://127.0.0.1:9");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    private static void page(String body) {
        browser.driver.get("data:text/html;charset=utf-8," + URLEncoder.encode("<!DOCTYPE html><html lang=\"en\"><head>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>t</title></head><body>"
                + body + "</body></html>", StandardCharsets.UTF_8).replace("+", "%20"));
    }

    @Test
    void an_axe_violation_fails_with_its_rule_impact_and_selector() {
        page("<main><h1>t</h1><p style=\"color:#aaa\">faint</p><button id=\"nameless\"></button></main>");
        AssertionError failure = assertThrows(AssertionError.class, () -> browser.check("check-axe"));
        assertTrue(failure.getMessage().contains("button-name (critical)"), failure.getMessage());
        assertTrue(failure.getMessage().contains("#nameless"), failure.getMessage());
        assertTrue(failure.getMessage().contains("color-contrast (serious)"), failure.getMessage());
    }

    @Test
    void a_page_wider_than_a_phone_fails() {
        page("<main><h1>t</h1><div id=\"wide\" style=\"width:500px\">wide</div></main>");
        AssertionError failure = assertThrows(AssertionError.class, () -> browser.check("check-scroll"));
        assertTrue(failure.getMessage().contains("scrolls sideways at 390 px"), failure.getMessage());
        assertTrue(failure.getMessage().contains("#wide"), failure.getMessage());
    }

    @Test
    void a_page_wider_than_the_narrowest_phones_fails_too() {
        page("<main><h1>t</h1><div id=\"wide\" style=\"width:370px\">wide</div></main>");
        AssertionError failure = assertThrows(AssertionError.class, () -> browser.check("check-scroll-360"));
        assertTrue(failure.getMessage().contains("scrolls sideways at 360 px"), failure.getMessage());
    }

    @Test
    void a_clean_narrow_page_passes() {
        page("<main><h1>Fine</h1><p>Short text.</p></main>");
        browser.check("check-clean");
    }
}
