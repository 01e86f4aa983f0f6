package com.orgkeys.http.auth;

import com.orgkeys.domain.account.Session;
import com.orgkeys.http.server.HttpCall;

import java.net.URI;
import java.util.Optional;

/** The session cookie: HttpOnly, SameSite=Lax, Path=/, Secure when the public origin is https. */
public final class SessionCookie {
    public static final String NAME = "orgkeys_session";
    private final boolean secure;

    public SessionCookie(URI publicOrigin) {
        this.secure = "https".equalsIgnoreCase(publicOrigin.getScheme());
    }

    public Optional<String> read(HttpCall call) {
        return call.cookie(NAME).filter(v -> !v.isEmpty());
    }

    public void set(HttpCall call, String token) {
        call.addHeader("Set-Cookie", NAME + "=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age="
                + Session.ABSOLUTE_LIFETIME.toSeconds() + (secure ? "; Secure" : ""));
    }

    public void clear(HttpCall call) {
        call.addHeader("Set-Cookie", NAME + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" + (secure ? "; Secure" : ""));
    }
}
