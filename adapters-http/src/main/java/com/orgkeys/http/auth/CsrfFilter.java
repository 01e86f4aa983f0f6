package com.orgkeys.http.auth;

import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.http.server.Handler;
import com.orgkeys.http.server.HttpCall;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses cookie-authenticated unsafe requests from other sites: {@code Origin} (or, when absent,
 * {@code Referer}) must be this server's own origin, i.e. BASE_URL or the request's Host. Requests with an
 * {@code Authorization} header are exempt: a browser never adds one on its own. Requests without a session
 * cookie are not covered, as they carry no ambient authority (sign-in itself is covered when a cookie is sent).
 */
public final class CsrfFilter implements Handler {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private final URI publicOrigin;

    public CsrfFilter(URI publicOrigin) {
        this.publicOrigin = publicOrigin;
    }

    @Override
    public void handle(HttpCall call) {
        if (SAFE_METHODS.contains(call.method()) || Authenticator.usesBearer(call)) return;
        if (call.cookie(SessionCookie.NAME).isEmpty()) return;
        Optional<String> source = call.header("Origin").filter(o -> !o.equals("null"))
                .or(() -> call.header("Referer"));
        if (source.isEmpty()) {
            throw new ForbiddenException("Cross-site request refused: send an Origin header.");
        }
        String origin = originOf(source.get());
        if (origin == null || !(origin.equals(normalized(publicOrigin)) || sameHost(call, origin))) {
            throw new ForbiddenException("Cross-site request refused: origin " + source.get() + " is not allowed.");
        }
    }

    private static boolean sameHost(HttpCall call, String origin) {
        String host = call.header("Host").map(h -> h.strip().toLowerCase(Locale.ROOT)).orElse("");
        return !host.isEmpty() && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    private static String originOf(String value) {
        try {
            URI uri = URI.create(value.strip());
            if (uri.getScheme() == null || uri.getHost() == null) return null;
            return normalized(uri);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String normalized(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
