package com.orgkeys.http.server;

import com.sun.net.httpserver.Headers;

import java.net.URI;
import java.util.Locale;

/**
 * Every security header in one place: those on every answer ({@link Router}), HSTS when the public origin is
 * https, and the policies of the HTML pages (dashboard, API reference).
 */
public final class SecurityHeaders {
    /**
     * Two years, as hstspreload.org recommends. No {@code includeSubDomains} (with BASE_URL on an apex it would
     * force https on every other site of the domain) and no {@code preload}: both are the domain owner's decision.
     */
    public static final String HSTS = "max-age=63072000";
    /** Dashboard pages: scripts, styles and images from this origin only; no plugins, no {@code <base>}, no framing. */
    public static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'";
    /** The API reference: the page policy plus {@code connect-src 'self'}, for Swagger UI to fetch the document. */
    public static final String API_REFERENCE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; "
            + "base-uri 'none'";

    private final boolean https;

    private SecurityHeaders(boolean https) {
        this.https = https;
    }

    /** For the public origin (BASE_URL): HSTS only when it is https, as browsers ignore it over http anyway. */
    public static SecurityHeaders forOrigin(URI origin) {
        return new SecurityHeaders("https".equals(origin.getScheme().toLowerCase(Locale.ROOT)));
    }

    /** A plain-http origin: no HSTS. */
    public static SecurityHeaders plainHttp() {
        return new SecurityHeaders(false);
    }

    /** The headers on every answer, set before the handler runs (a handler may loosen Cache-Control). */
    void everyAnswer(Headers headers) {
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "same-origin");
        headers.set("Cache-Control", "no-store");
        if (https) headers.set("Strict-Transport-Security", HSTS);
    }

    /** An HTML page under {@code policy} ({@link #PAGE_CSP} or {@link #API_REFERENCE_CSP}), never framed. */
    public static void page(HttpCall call, String policy) {
        call.setHeader("Content-Security-Policy", policy);
        call.setHeader("X-Frame-Options", "DENY");
    }
}
