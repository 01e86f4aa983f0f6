package com.orgkeys.http.sessiontoken;

import com.orgkeys.application.sessiontoken.port.in.IssueSessionTokenUseCase;
import com.orgkeys.application.sessiontoken.port.in.ReadSigningKeysUseCase;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.Router;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Session tokens and the keys that verify them:
 * <ul>
 *   <li>{@code GET /api/session/token}: the signed-in user's short-lived JWT (never cached: it is a credential);</li>
 *   <li>{@code GET /.well-known/jwks.json}: the public keys, for anyone (cacheable for {@link #JWKS_MAX_AGE_SECONDS},
 *   less than the time a new key is published before it signs);</li>
 *   <li>{@code GET /v1/jwks}: the same keys for a backend secret key, where {@code @clerk/backend}'s
 *   {@code verifyToken({secretKey, apiUrl})} fetches them.</li>
 * </ul>
 */
public final class SessionTokenRoutes {
    /** The JWKS's Cache-Control max-age: well under SessionTokenService.PUBLISH_AHEAD (10 minutes). */
    static final int JWKS_MAX_AGE_SECONDS = 300;

    record SessionTokenJson(String token, Instant expiresAt) {
    }

    record JwksJson(List<Map<String, Object>> keys) {
    }

    private final IssueSessionTokenUseCase tokens;
    private final ReadSigningKeysUseCase signingKeys;
    private final Authenticator auth;

    public SessionTokenRoutes(IssueSessionTokenUseCase tokens, ReadSigningKeysUseCase signingKeys, Authenticator auth) {
        this.tokens = tokens;
        this.signingKeys = signingKeys;
        this.auth = auth;
    }

    public void register(Router router) {
        router.get("/api/session/token", Access.USER, call -> {
            var token = tokens.issue(auth.requireUser(call));
            call.json(200, new SessionTokenJson(token.jwt(), token.expiresAt()));
        });
        router.get("/.well-known/jwks.json", Access.PUBLIC, call -> {
            call.setHeader("Cache-Control", "public, max-age=" + JWKS_MAX_AGE_SECONDS);
            call.json(200, new JwksJson(signingKeys.publicJwks()));
        });
        router.get("/v1/jwks", Access.SECRET_KEY, call -> {
            auth.requireSecretKey(call);
            call.json(200, new JwksJson(signingKeys.publicJwks()));
        });
    }
}
