package com.orgkeys.http.auth;

import com.orgkeys.domain.account.Session;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.SetCookie;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/** The session cookie: HttpOnly, SameSite=Lax, Path=/, Secure when the public origin is https. */
public final class SessionCookie {
    public static final String NAME = "orgkeys_session";
    private final boolean secure;
    private final Clock clock = Clock.systemUTC();

    public SessionCookie(URI publicOrigin) {
        this.secure = "https".equalsIgnoreCase(publicOrigin.getScheme());
    }

    public Optional<String> read(HttpCall call) {
        return call.cookie(NAME).filter(v -> !v.isEmpty());
    }

    public void set(HttpCall call, String token) {
        call.addHeader("Set-Cookie", SetCookie.of(NAME, token, secure).lasting(Session.ABSOLUTE_LIFETIME, clock.instant()));
    }

    public void clear(HttpCall call) {
        call.addHeader("Set-Cookie", SetCookie.of(NAME, "", secure).clearing());
    }
}
