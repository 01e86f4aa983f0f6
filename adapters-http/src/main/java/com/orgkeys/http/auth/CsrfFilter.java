package com.orgkeys.http.auth;

import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.http.server.Handler;
import com.orgkeys.http.server.HttpCall;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses unsafe requests from other sites, signed in or not (a cross-site sign-in is login CSRF): when a request
 * says where it comes from, by {@code Origin} or (without one) {@code Referer}, that must be this server's own
 * origin. With BASE_URL configured that is BASE_URL's exact scheme, host and port and nothing else: on an https
 * deployment a page at {@code http://<same host>} (a network attacker's) is another origin. Only without BASE_URL
 * (development) does the request's own {@code Host} count too. {@code Origin: null} (sandboxed frames, privacy
 * redirects) is always foreign: a Referer cannot vouch for it, as the browser chose not to name the origin. A
 * request that says nothing is refused when it carries any cookie; without cookies it has no ambient authority to
 * abuse and comes from a program (curl), as browsers always send {@code Origin} on a POST. Requests with an
 * {@code Authorization} header are exempt: a browser never adds one on its own.
 */
public final class CsrfFilter implements Handler {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private final String ownOrigin;
    private final boolean requestHostCounts;
    private final Set<String> exemptPaths;

    private CsrfFilter(URI ownOrigin, boolean requestHostCounts, Set<String> exemptPaths) {
        this.ownOrigin = normalized(ownOrigin);
        this.requestHostCounts = requestHostCounts;
        this.exemptPaths = Set.copyOf(exemptPaths);
    }

    /**
     * The same filter, letting unsafe requests to {@code paths} through from anywhere: routes that use no cookie
     * and act on nothing but what the request itself proves (a leak report: the secret), which any site could
     * send to the server directly anyway.
     */
    public CsrfFilter exempting(Set<String> paths) {
        return new CsrfFilter(URI.create(ownOrigin), requestHostCounts, paths);
    }

    /** A deployment with BASE_URL: only that origin is this site's. */
    public static CsrfFilter onlyFrom(URI baseUrl) {
        return new CsrfFilter(baseUrl, false, Set.of());
    }

    /** Development without BASE_URL: the default origin, or whatever host the request was sent to. */
    public static CsrfFilter fromDefaultOrRequestHost(URI defaultOrigin) {
        return new CsrfFilter(defaultOrigin, true, Set.of());
    }

    @Override
    public void handle(HttpCall call) {
        if (SAFE_METHODS.contains(call.method()) || Authenticator.usesBearer(call) || exemptPaths.contains(call.path())) return;
        Optional<String> origin = call.header("Origin");
        Optional<String> source = origin.or(() -> call.header("Referer"));
        if (source.isEmpty()) {
            if (call.header("Cookie").isEmpty()) return;
            throw new ForbiddenException("Cross-site request refused: send an Origin header of this site.");
        }
        String sourceOrigin = originOf(source.get());
        if (sourceOrigin == null || !(sourceOrigin.equals(ownOrigin) || (requestHostCounts && sameHost(call, sourceOrigin)))) {
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
