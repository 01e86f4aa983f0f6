package com.orgkeys.http.account;

import com.orgkeys.application.account.port.in.GetCurrentUserUseCase;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SecondFactorRequired;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInOutcome;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignUpCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.auth.SessionCookie;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies;
import com.orgkeys.http.shared.JsonBodies.UserJson;
import com.orgkeys.http.shared.Requests;

import java.time.Instant;
import java.util.List;

/** Sign-up, sign-in, sign-out, the current user and their sessions. */
public final class AccountRoutes {
    record SignUpRequest(String email, String password, String name) {
    }

    record SignInRequest(String email, String password) {
    }

    record SignedInJson(UserJson user) {
    }

    /**
     * A right first factor of an account with two-factor sign-in: no session yet; {@code signInToken} with a code at
     * {@code POST /api/auth/sign-in/second-factor} opens it.
     */
    record SecondFactorRequiredJson(String status, String signInToken, Instant expiresAt, List<String> factors) {
        static final String STATUS = "needs_second_factor";

        /** The account's second factors: {@code totp} with an authenticator app, {@code passkey}, and {@code recovery_code} with either. */
        static List<String> factors(SecondFactorRequired pending) {
            List<String> factors = new java.util.ArrayList<>();
            if (pending.authenticatorApp()) factors.add("totp");
            factors.add("recovery_code"); // a pending sign-in exists only for an account with a second factor
            if (pending.passkey()) factors.add("passkey");
            return factors;
        }

        @Override
        public String toString() {
            return "SecondFactorRequiredJson[***]";
        }
    }

    /**
     * The answer of every sign-in: the session cookie and the user, or (for an account with two-factor sign-in) the
     * pending second factor, without a cookie.
     */
    public static void answer(HttpCall call, SessionCookie cookie, SignInOutcome outcome) {
        switch (outcome) {
            case SignedIn signedIn -> {
                cookie.set(call, signedIn.sessionToken());
                call.json(200, new SignedInJson(UserJson.of(signedIn.user())));
            }
            case SecondFactorRequired pending -> call.json(202, new SecondFactorRequiredJson(
                    SecondFactorRequiredJson.STATUS, pending.signInToken(), pending.expiresAt(),
                    SecondFactorRequiredJson.factors(pending)));
        }
    }

    record SessionJson(String id, Instant createdAt, Instant lastActiveAt, String userAgent, String clientAddress,
                       boolean current) {
    }

    record OrganizationWithRoleJson(String id, String name, String slug, String role, List<String> permissions) {
    }

    record MeJson(UserJson user, boolean emailVerified, String activeOrganizationId,
                  List<OrganizationWithRoleJson> organizations) {
    }

    private final ManageSessionsUseCase sessions;
    private final GetCurrentUserUseCase currentUser;
    private final Authenticator auth;
    private final SessionCookie cookie;

    public AccountRoutes(ManageSessionsUseCase sessions, GetCurrentUserUseCase currentUser, Authenticator auth,
                         SessionCookie cookie) {
        this.sessions = sessions;
        this.currentUser = currentUser;
        this.auth = auth;
        this.cookie = cookie;
    }

    public void register(Router router) {
        router.post("/api/auth/sign-up", Access.PUBLIC, this::signUp);
        router.post("/api/auth/sign-in", Access.PUBLIC, this::signIn);
        router.post("/api/auth/sign-out", Access.USER, this::signOut);
        router.get("/api/me", Access.USER, this::me);
        router.get("/api/sessions", Access.USER, this::listSessions);
        router.delete("/api/sessions/{id}", Access.USER, this::revokeSession);
    }

    private void signUp(HttpCall call) {
        SignUpRequest body = call.body(SignUpRequest.class);
        SignedIn signedIn = sessions.signUp(new SignUpCommand(body.email(), body.password(), body.name(),
                call.header("User-Agent").orElse(""), call.clientAddress().getHostAddress()));
        cookie.set(call, signedIn.sessionToken());
        call.json(201, new SignedInJson(UserJson.of(signedIn.user())));
    }

    private void signIn(HttpCall call) {
        SignInRequest body = call.body(SignInRequest.class);
        answer(call, cookie, sessions.signIn(new SignInCommand(body.email(), body.password(),
                call.header("User-Agent").orElse(""), call.clientAddress().getHostAddress())));
    }

    private void signOut(HttpCall call) {
        sessions.signOut(auth.requireUser(call));
        cookie.clear(call);
        call.noContent();
    }

    private void me(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        var me = currentUser.currentUser(caller);
        call.json(200, new MeJson(UserJson.of(me.user()), me.user().emailVerified(),
                me.activeOrganizationId().map(Object::toString).orElse(null),
                me.organizations().stream().map(o -> new OrganizationWithRoleJson(o.organization().id().toString(),
                        o.organization().name(), o.organization().slug().value(), o.role().value(),
                        JsonBodies.permissions(o.permissions()))).toList()));
    }

    private void listSessions(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        call.json(200, new JsonBodies.ListJson<>(sessions.listSessions(caller).stream()
                .map(s -> new SessionJson(s.id().toString(), s.createdAt(), s.lastActiveAt(), s.userAgent(),
                        s.clientAddress(), s.id().equals(caller.sessionId())))
                .toList()));
    }

    private void revokeSession(HttpCall call) {
        UserCaller caller = auth.requireUser(call);
        SessionId id = Requests.pathId(call, "id", SessionId::new, "No session");
        sessions.revokeSession(caller, id);
        if (id.equals(caller.sessionId())) cookie.clear(call);
        call.noContent();
    }
}
