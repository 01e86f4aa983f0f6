package com.orgkeys.http.server;

import java.net.URI;

/**
 * The names of every cookie this server writes and reads, decided in one place from the public origin.
 *
 * <p>On an https origin the names carry the prefixes browsers enforce (RFC 6265bis): {@code __Host-} (only set
 * with Secure, Path=/ and no Domain, so only by this very host over https) for the session and the pre-session
 * form cookie, {@code __Secure-} for the flash cookie, whose path is narrowed and which is sealed to its session
 * anyway. A sibling subdomain or a network attacker injecting plain-http responses can then not plant them
 * (cookie tossing), and the server reads only the prefixed names. A plain-http origin (development) cannot use
 * the prefixes: browsers refuse Secure cookies there.
 */
public record Cookies(String session, String form, String flash, boolean secure) {
    private static final String SESSION = "orgkeys_session";
    private static final String FORM = "orgkeys_form";
    private static final String FLASH = "orgkeys_flash";

    public static Cookies forOrigin(URI publicOrigin) {
        boolean https = "https".equalsIgnoreCase(publicOrigin.getScheme());
        return https
                ? new Cookies("__Host-" + SESSION, "__Host-" + FORM, "__Secure-" + FLASH, true)
                : new Cookies(SESSION, FORM, FLASH, false);
    }
}
