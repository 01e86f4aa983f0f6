package com.orgkeys.http.server;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code Set-Cookie} values, written one way: {@code Path=/; HttpOnly; SameSite=Lax}, {@code Secure} on an https
 * origin, and a lifetime stated twice, as {@code Max-Age} and as the matching {@code Expires}: clients that know
 * only {@code Expires} (and Java's {@code CookieManager}, which without it treats the cookie as RFC 2965 and sends
 * it back quoted) keep the same lifetime.
 */
public final class SetCookie {
    /** RFC 9110's IMF-fixdate: two-digit day, always GMT (RFC_1123_DATE_TIME would write "Tue, 3 Jun"). */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private SetCookie() {
    }

    /** A cookie that lasts {@code lifetime} from {@code now}. */
    public static String lasting(String name, String value, Duration lifetime, Instant now, boolean secure) {
        return name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + lifetime.toSeconds()
                + "; Expires=" + IMF_FIXDATE.format(now.plus(lifetime)) + (secure ? "; Secure" : "");
    }

    /** Tells the client to drop the cookie now: empty, Max-Age=0 and an Expires in the past. */
    public static String clearing(String name, boolean secure) {
        return name + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Expires=" + IMF_FIXDATE.format(Instant.EPOCH)
                + (secure ? "; Secure" : "");
    }
}
