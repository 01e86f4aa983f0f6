package com.orgkeys.http.auth;

import com.orgkeys.application.secretkey.port.in.AuthenticateSecretKeyUseCase;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.application.account.port.in.AuthenticateSessionUseCase;
import com.orgkeys.application.apikey.port.in.AuthenticateApiKeyUseCase;
import com.orgkeys.domain.caller.ApiKeyCaller;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.AccessCheck;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.HttpProblem;

import java.util.List;
import java.util.Map;

import java.util.Optional;

/**
 * Finds who is calling: the {@code Authorization: Bearer} API key when the header is present (and then only
 * it, never mixed with a cookie), otherwise the session cookie. The result is cached on the call.
 */
public final class Authenticator implements AccessCheck {
    private static final String ATTRIBUTE = "orgkeys.caller";

    private final AuthenticateSessionUseCase sessions;
    private final SessionCookie cookie;
    private static final String SECRET_KEY_ATTRIBUTE = "orgkeys.secret-key";

    private final AuthenticateApiKeyUseCase bearer;
    private final AuthenticateSecretKeyUseCase secretKeys;

    public Authenticator(AuthenticateSessionUseCase sessions, SessionCookie cookie, AuthenticateApiKeyUseCase bearer,
                         AuthenticateSecretKeyUseCase secretKeys) {
        this.sessions = sessions;
        this.cookie = cookie;
        this.bearer = bearer;
        this.secretKeys = secretKeys;
    }

    /**
     * The backend secret key of a backend API request ({@code /v1}), naming no organization yet: only a Bearer secret
     * key counts there; an API key, a session cookie, or a revoked or unknown secret key is a 401.
     */
    public SecretKeyCaller requireSecretKey(HttpCall call) {
        Optional<SecretKeyCaller> cached = call.attribute(SECRET_KEY_ATTRIBUTE);
        if (cached.isPresent()) return cached.get();
        String value = call.header("Authorization").map(String::strip).orElseThrow(() -> new UnauthenticatedException(
                "Send 'Authorization: Bearer <secret key>' (a backend secret key, sk_orgkeys_…)."));
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthenticatedException("Use 'Authorization: Bearer <secret key>'.");
        }
        SecretKeyCaller caller = secretKeys.authenticate(value.substring(7).strip())
                .map(id -> new SecretKeyCaller(id, Optional.empty(), call.clientAddress().getHostAddress()))
                .orElseThrow(() -> new UnauthenticatedException(
                        "The secret key is invalid or revoked (the backend API takes a backend secret key, not an API key)."));
        call.setAttribute(SECRET_KEY_ATTRIBUTE, caller);
        return caller;
    }

    public Optional<Caller> caller(HttpCall call) {
        Optional<Caller> cached = call.attribute(ATTRIBUTE);
        if (cached.isPresent()) return cached;
        String address = call.clientAddress().getHostAddress();
        Optional<String> authorization = call.header("Authorization");
        Optional<Caller> caller;
        if (authorization.isPresent()) {
            String value = authorization.get().strip();
            if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new UnauthenticatedException("Use 'Authorization: Bearer <api key>'.");
            }
            try {
                caller = bearer.authenticate(value.substring(7).strip(), address).map(c -> (Caller) c);
            } catch (ForbiddenException addressRefused) {
                // the key's IP allowlist: not a lack of scope (RFC 6750 has no error code for it), so no error=
                throw new HttpProblem(403, "Forbidden", addressRefused.getMessage(), List.of(),
                        Map.of("WWW-Authenticate", "Bearer realm=\"orgkeys\""));
            }
            if (caller.isEmpty()) throw new UnauthenticatedException("The API key is invalid, expired or revoked.");
        } else {
            caller = cookie.read(call).flatMap(token -> sessions.authenticate(token, address)).map(c -> (Caller) c);
        }
        caller.ifPresent(c -> call.setAttribute(ATTRIBUTE, c));
        return caller;
    }

    /**
     * For {@link com.orgkeys.http.server.Router#afterEach}: a 403 to a request authenticated by an API key is a
     * refusal for lack of scope (RFC 6750's {@code insufficient_scope}), reported to the verification outcomes.
     */
    public void completed(HttpCall call, int status) {
        if (status != 403 || call == null) return;
        Optional<Caller> caller = call.attribute(ATTRIBUTE);
        if (caller.isPresent() && caller.get() instanceof ApiKeyCaller key) bearer.refusedForScope(key);
    }

    /** Whether the request is authenticated by a Bearer header (which makes it exempt from CSRF checks). */
    public static boolean usesBearer(HttpCall call) {
        return call.header("Authorization").isPresent();
    }

    public Caller requireCaller(HttpCall call) {
        return caller(call).orElseThrow(() -> new UnauthenticatedException(
                "Sign in, or send 'Authorization: Bearer <api key>'."));
    }

    /** The router's check of a route's declared {@link Access}, before its handler: 401 without credentials, 403 for a key on a user route. */
    @Override
    public void check(HttpCall call, Access access) {
        switch (access) {
            case PUBLIC -> {
            }
            case USER -> requireUser(call);
            case USER_OR_API_KEY -> requireCaller(call);
            case SECRET_KEY -> requireSecretKey(call);
        }
    }

    /** A signed-in user; API keys cannot act as a user (e.g. manage sessions or create organizations). */
    public UserCaller requireUser(HttpCall call) {
        Caller caller = requireCaller(call);
        if (caller instanceof UserCaller user) return user;
        throw new ForbiddenException("This endpoint needs a signed-in user; API keys cannot use it.");
    }
}
