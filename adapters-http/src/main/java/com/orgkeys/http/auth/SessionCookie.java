package com.orgkeys.http.auth;

import com.orgkeys.domain.account.Session;
import com.orgkeys.http.server.Cookies;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.SetCookie;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * The session cookie: HttpOnly, SameSite=Lax, Path=/; on an https origin Secure and named with the
 * {@code __Host-} prefix ({@link Cookies}), and only that name is read.
 */
public final class SessionCookie {
    private final String name;
    private final boolean secure;
    private final Clock clock = Clock.systemUTC();

    public SessionCookie(URI publicOrigin) {
        Cookies cookies = Cookies.forOrigin(publicOrigin);
        this.name = cookies.session();
        this.secure = cookies.secure();
    }

    public Optional<String> read(HttpCall call) {
        return call.cookie(name).filter(v -> !v.isEmpty());
    }

    public void set(HttpCall call, String token) {
        call.addHeader("Set-Cookie", SetCookie.of(name, token, secure).lasting(Session.ABSOLUTE_LIFETIME, clock.instant()));
    }

    public void clear(HttpCall call) {
        call.addHeader("Set-Cookie", SetCookie.of(name, "", secure).clearing());
    }
}
