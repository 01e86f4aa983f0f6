package com.orgkeys.http.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.orgkeys.application.apikey.port.in.AuthenticateApiKeyUseCase;
import com.orgkeys.application.apikey.port.in.AuthenticateApiKeyUseCase.VerifiedApiKey;
import com.orgkeys.application.secretkey.port.in.AuthenticateSecretKeyUseCase;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.HttpProblem;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /oauth/introspect}, RFC 7662: a resource server asks whether an orgkeys API key ({@code token}) is
 * active, authenticating itself with a backend secret key (HTTP Basic with the secret key as password, any client
 * id; or {@code Authorization: Bearer <secret key>}). An active key answers what verification knows from its cache,
 * the same verification (cache, revocation feed, outcomes) as {@code /api/whoami} and {@code /v1/api_keys/verify};
 * anything else answers exactly {@code {"active":false}} (RFC 7662 §2.2: nothing about why).
 *
 * <p>Errors are OAuth's ({@code {error, error_description}}, RFC 6749 §5.2), as introspection clients parse them, not
 * problem+json: 401 {@code invalid_client} with a challenge for each accepted scheme, 400 {@code invalid_request}.
 */
public final class IntrospectionRoutes {
    public static final String PATH = "/oauth/introspect";
    /** One challenge per way a client may authenticate (RFC 7235 §4.1: several may be offered). */
    static final List<String> CHALLENGES = List.of("Basic realm=\"orgkeys\"", "Bearer realm=\"orgkeys\"");

    /**
     * RFC 7662 §2.2's members for an active key. {@code iat} is absent: the verification cache holds what deciding
     * needs, not when the key was made ({@code GET /v1/api_keys/{id}} has {@code created_at}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record IntrospectionJson(boolean active, String scope, String sub, String org_id, String client_id, Long exp,
                             String token_type) {
        static final IntrospectionJson INACTIVE = new IntrospectionJson(false, null, null, null, null, null, null);
    }

    record OAuthErrorJson(String error, String error_description) {
    }

    private final AuthenticateApiKeyUseCase verification;
    private final AuthenticateSecretKeyUseCase secretKeys;

    public IntrospectionRoutes(AuthenticateApiKeyUseCase verification, AuthenticateSecretKeyUseCase secretKeys) {
        this.verification = verification;
        this.secretKeys = secretKeys;
    }

    public void register(Router router) {
        // PUBLIC for the router: the client authentication is this endpoint's own (Basic or Bearer, OAuth's errors)
        router.post(PATH, Access.PUBLIC, this::introspect);
    }

    private void introspect(HttpCall call) {
        // no answer of this endpoint may be kept by a cache (RFC 7662 §4): a key revoked now is inactive now
        call.setHeader("Cache-Control", "no-store");
        call.setHeader("Pragma", "no-cache");
        // the client first, before the body is read: an unauthenticated caller learns nothing about its form
        Optional<String> secret = clientSecret(call);
        if (secret.isEmpty() || secretKeys.authenticate(secret.get()).isEmpty()) {
            CHALLENGES.forEach(challenge -> call.addHeader("WWW-Authenticate", challenge));
            call.json(401, new OAuthErrorJson("invalid_client", "Authenticate with a backend secret key: HTTP Basic "
                    + "with the secret key as password, or 'Authorization: Bearer <secret key>'."));
            return;
        }
        List<String> tokens;
        try {
            tokens = call.form().getOrDefault("token", List.of());
        } catch (HttpProblem problem) {
            if (problem.status() == 422) { // a NUL byte in a field: no key has one, so no key is active
                call.json(200, IntrospectionJson.INACTIVE);
                return;
            }
            problem.headers().forEach(call::setHeader);
            call.json(problem.status() == 413 || problem.status() == 415 ? problem.status() : 400,
                    new OAuthErrorJson("invalid_request", problem.getMessage()));
            return;
        }
        if (tokens.isEmpty() || tokens.getFirst().isEmpty()) {
            call.json(400, new OAuthErrorJson("invalid_request", "The form parameter 'token' is required."));
            return;
        }
        if (tokens.size() > 1) { // RFC 6749 §3.1: a parameter sent more than once is a malformed request
            call.json(400, new OAuthErrorJson("invalid_request", "Send the form parameter 'token' once."));
            return;
        }
        // token_type_hint is optional and there is one kind of token here: any hint is accepted and ignored (§2.1)
        Optional<VerifiedApiKey> key = verification.verify(tokens.getFirst());
        call.json(200, key.map(IntrospectionRoutes::active).orElse(IntrospectionJson.INACTIVE));
    }

    private static IntrospectionJson active(VerifiedApiKey key) {
        return new IntrospectionJson(true, String.join(" ", JsonBodies.permissions(key.scopes())),
                // sub: whom the key acts as (a user's key: its user); client_id: the key itself
                key.owner().<Actor>map(Actor.UserActor::new).orElse(new Actor.ApiKeyActor(key.id())).toString(),
                key.organization().toString(), key.id().toString(),
                key.expiresAt().map(instant -> instant.getEpochSecond()).orElse(null), "Bearer");
    }

    /**
     * The secret key the client authenticates with: the password of HTTP Basic (RFC 6749 §2.3.1: form-encoded, the
     * client id is not checked: a secret key is the client), or a Bearer token. Empty for anything else.
     */
    static Optional<String> clientSecret(HttpCall call) {
        Optional<String> header = call.header("Authorization").map(String::strip);
        if (header.isEmpty()) return Optional.empty();
        String value = header.get();
        if (value.length() > 1024) return Optional.empty(); // far longer than any secret key
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.of(value.substring(7).strip());
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
        try {
            String pair = new String(Base64.getDecoder().decode(value.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon < 0) return Optional.empty();
            return Optional.of(URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) { // not Base64, or not percent-encoding
            return Optional.empty();
        }
    }
}
