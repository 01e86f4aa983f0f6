package com.orgkeys.http.server;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A {@code Set-Cookie} value, written one way for every cookie of the server: always {@code HttpOnly}, a path
 * ({@code /} unless narrowed), {@code SameSite} ({@code Lax} unless stricter), {@code Secure} on an https origin;
 * and a lifetime stated twice, as {@code Max-Age} and as the matching {@code Expires}, for clients that know only
 * {@code Expires} (Java's {@code CookieManager} without it takes the cookie for RFC 2965 and sends it back quoted).
 */
public record SetCookie(String name, String value, String path, String sameSite, boolean secure) {
    /** RFC 9110's IMF-fixdate: two-digit day, always GMT (RFC_1123_DATE_TIME would write "Tue, 3 Jun"). */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** Browsers drop a prefixed cookie without the attributes its prefix promises: fail here instead. */
    public SetCookie {
        if ((name.startsWith("__Secure-") || name.startsWith("__Host-")) && !secure) {
            throw new IllegalArgumentException(name + " must be Secure");
        }
        if (name.startsWith("__Host-") && !path.equals("/")) throw new IllegalArgumentException(name + " must have Path=/");
    }

    public static SetCookie of(String name, String value, boolean secure) {
        return new SetCookie(name, value, "/", "Lax", secure);
    }

    public SetCookie withPath(String path) {
        return new SetCookie(name, value, path, sameSite, secure);
    }

    public SetCookie withSameSite(String sameSite) {
        return new SetCookie(name, value, path, sameSite, secure);
    }

    /** The cookie for {@code lifetime} from {@code now}. */
    public String lasting(Duration lifetime, Instant now) {
        return base(value) + "; Max-Age=" + lifetime.toSeconds() + "; Expires=" + IMF_FIXDATE.format(now.plus(lifetime))
                + secureAttribute();
    }

    /** The cookie until the browser closes: neither Max-Age nor Expires. */
    public String forTheBrowserSession() {
        return base(value) + secureAttribute();
    }

    /** Tells the client to drop the cookie now: empty, Max-Age=0 and an Expires in the past. */
    public String clearing() {
        return base("") + "; Max-Age=0; Expires=" + IMF_FIXDATE.format(Instant.EPOCH) + secureAttribute();
    }

    private String base(String content) {
        return name + "=" + content + "; Path=" + path + "; HttpOnly; SameSite=" + sameSite;
    }

    private String secureAttribute() {
        return secure ? "; Secure" : "";
    }
}
