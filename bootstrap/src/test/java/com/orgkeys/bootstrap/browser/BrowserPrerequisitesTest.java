package com.orgkeys.bootstrap.browser;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrowserPrerequisitesTest {
    private static final String PRESENT = "/bin/sh"; // any executable stands in for an installed program

    @Test
    void a_missing_chromedriver_fails_with_one_line_naming_what_to_install() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> Browser.requireInstalled(PRESENT, "/nonexistent/chromedriver"));

        assertEquals("browser tests need Debian's chromium and chromium-driver (missing: /nonexistent/chromedriver): "
                + "apt-get install chromium chromium-driver", failure.getMessage());
        assertEquals(0, failure.getStackTrace().length, "the line is the whole report, no stack under it");
    }

    @Test
    void a_missing_chromium_is_named_too() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> Browser.requireInstalled("/nonexistent/chromium", "/nonexistent/chromedriver"));

        assertTrue(failure.getMessage().contains("(missing: /nonexistent/chromium, /nonexistent/chromedriver)"),
                failure.getMessage());
        assertFalse(failure.getMessage().contains("\n"));
    }

    @Test
    void installed_programs_pass() {
        assertDoesNotThrow(() -> Browser.requireInstalled(PRESENT, PRESENT));
    }
}
