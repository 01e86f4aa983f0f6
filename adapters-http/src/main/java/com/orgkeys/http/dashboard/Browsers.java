package com.orgkeys.http.dashboard;

import ua_parser.Client;
import ua_parser.Parser;

/**
 * Names a session's browser and operating system from its stored User-Agent ("Chrome on Linux"), with uap-core's
 * patterns (uap-java). Only the sessions page asks, so the patterns are compiled on its first view, never at start
 * or on the request path; nothing is cached (a page parses each distinct string once), so memory stays flat.
 */
final class Browsers {
    static final String UNKNOWN = "Unknown browser";
    private static final String OTHER = "Other";

    private Browsers() {
    }

    /** The patterns, compiled once on first use (the class loads only then); immutable, so shared safely. */
    private static final class Patterns {
        static final Parser PARSER = new Parser();
    }

    /** "Browser on OS"; either part left out when unknown; {@link #UNKNOWN} when neither is known. */
    static String describe(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) return UNKNOWN;
        Client client = Patterns.PARSER.parse(userAgent);
        String browser = known(client.userAgent.family);
        String os = known(client.os.family);
        if (browser == null && os == null) return UNKNOWN;
        if (browser == null) return UNKNOWN + " on " + os;
        return os == null ? browser : browser + " on " + os;
    }

    private static String known(String family) {
        return family == null || family.isBlank() || family.equals(OTHER) ? null : family;
    }
}
