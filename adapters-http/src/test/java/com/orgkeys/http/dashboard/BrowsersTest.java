package com.orgkeys.http.dashboard;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BrowsersTest {
    static final String CHROME_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";
    static final String SAFARI_ON_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) "
            + "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    static final String FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 "
            + "Firefox/133.0";

    @Test
    void common_browsers_are_named_with_their_operating_system() {
        assertEquals("Chrome on Linux", Browsers.describe(CHROME_ON_LINUX));
        assertEquals("Mobile Safari on iOS", Browsers.describe(SAFARI_ON_IPHONE));
        assertEquals("Firefox on Windows", Browsers.describe(FIREFOX_ON_WINDOWS));
    }

    @Test
    void a_missing_or_unrecognised_user_agent_reads_unknown() {
        assertEquals(Browsers.UNKNOWN, Browsers.describe(""));
        assertEquals(Browsers.UNKNOWN, Browsers.describe(null));
        assertEquals(Browsers.UNKNOWN, Browsers.describe("\u0000\u0000 nothing like a browser"));
    }

    @Test
    void a_tool_is_named_as_itself() {
        assertEquals("curl", Browsers.describe("curl/8.5.0"));
    }
}
