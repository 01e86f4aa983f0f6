package com.orgkeys.http.gateway;

import com.orgkeys.domain.caller.ApiKeyCaller;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.TwoFactorRequiredException;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.HttpProblem;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v1/forward-auth} (and the other methods, for Envoy): a gateway (nginx {@code auth_request}, Traefik ForwardAuth, Envoy ext_authz) asks
 * whether the credential of the request it holds may pass. The caller's own {@code Authorization: Bearer <api key>}
 * (or session cookie) is checked by the router, through the same verification cache and revocation feed as every
 * request (401 with RFC 6750's challenge); {@code ?scope=} names permissions the gateway requires (403
 * {@code insufficient_scope} naming them). 200 carries who it is in {@code X-Orgkeys-*} headers, which the gateway
 * copies onto the upstream request, overwriting whatever the client sent under those names.
 *
 * <p>The gateway's {@code X-Forwarded-*}/{@code X-Original-URI} headers decide nothing here: which path needs which
 * scope is the gateway's configuration (one {@code scope} per location), never something the client's request can say.
 */
public final class ForwardAuthRoutes {
    public static final String PATH = "/v1/forward-auth";
    public static final String ORGANIZATION = "X-Orgkeys-Organization-Id";
    public static final String SUBJECT = "X-Orgkeys-Subject";
    public static final String SCOPES = "X-Orgkeys-Scopes";
    /** More required scopes than orgkeys has permissions is a gateway mistake, not a list to walk. */
    private static final int MAX_SCOPE_PARAMETERS = 16;

    private final Authenticator auth;

    public ForwardAuthRoutes(Authenticator auth) {
        this.auth = auth;
    }

    /**
     * Every method a protected request may have: nginx and Traefik ask with GET, but Envoy's ext_authz HTTP service asks
     * with the original request's method (and no body). Each changes nothing, whatever the method.
     */
    public static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    public void register(Router router) {
        for (String method : METHODS) router.route(method, PATH, Access.USER_OR_API_KEY, this::check);
    }

    private void check(HttpCall call) {
        Caller caller = auth.requireCaller(call);
        // never stored by the gateway or a cache between: the next request must be checked again (revocation)
        call.setHeader("Cache-Control", "no-store");
        // an organization that requires two-factor sign-in does not vouch for a session that lacks it
        if (caller instanceof UserCaller user && user.secondFactorMissing()) throw new TwoFactorRequiredException();
        Set<Permission> required = required(call);
        if (!caller.permissions().containsAll(required)) {
            String scope = String.join(" ", JsonBodies.permissions(required));
            // RFC 6750 §3.1: the scope needed, so the client knows what its key lacks; the router keeps this challenge
            throw new HttpProblem(403, "Forbidden", "The credential lacks the scope this gateway requires: " + scope + ".",
                    List.of(), Map.of("WWW-Authenticate",
                            "Bearer realm=\"orgkeys\", error=\"insufficient_scope\", scope=\"" + scope + "\""));
        }
        switch (caller) {
            case ApiKeyCaller key -> {
                call.setHeader(ORGANIZATION, key.organization().toString());
                // the key, even a user's: the subject tells an upstream a key from a session (the user of a key is
                // for a header of its own, which every gateway example would have to overwrite first)
                call.setHeader(SUBJECT, key.actor().toString());
            }
            case UserCaller user -> {
                // a signed-in user without an active organization: no organization header (the gateway sends none on)
                user.organizationId().ifPresent(org -> call.setHeader(ORGANIZATION, org.toString()));
                call.setHeader(SUBJECT, user.actor().toString());
            }
            // the Authenticator answers a secret key on the backend API's secret-key routes only
            case SecretKeyCaller s -> throw new IllegalStateException("a secret key reached forward-auth");
        }
        call.setHeader(SCOPES, String.join(" ", JsonBodies.permissions(caller.permissions())));
        call.send(200, null, null);
    }

    /**
     * The permissions named by {@code scope} parameters, each a space-separated list (OAuth's scope syntax); all are
     * required. An unknown name is a 422: a typo in a gateway's configuration must fail closed and say so.
     */
    private static Set<Permission> required(HttpCall call) {
        List<String> values = call.queryParams().getOrDefault("scope", List.of());
        if (values.size() > MAX_SCOPE_PARAMETERS) {
            throw new InvalidInputException("scope", "at most " + MAX_SCOPE_PARAMETERS + " scope parameters");
        }
        Set<Permission> required = new LinkedHashSet<>();
        for (String value : values) {
            for (String name : value.strip().split(" +")) {
                if (name.isEmpty()) continue;
                try {
                    required.add(new Permission(name));
                } catch (InvalidInputException e) {
                    throw new InvalidInputException("scope", "unknown permission '"
                            + (name.length() > 100 ? name.substring(0, 100) + "…" : name) + "'");
                }
            }
        }
        return required;
    }
}
