package com.orgkeys.http.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.orgkeys.domain.caller.ApiKeyCaller;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies;

import java.util.List;

/** {@code GET /api/whoami}: who the credentials in this request belong to; needs no permission. */
public final class WhoAmIRoutes {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WhoAmIJson(String type, String organizationId, String userId, String keyId, List<String> permissions) {
    }

    private final Authenticator auth;

    public WhoAmIRoutes(Authenticator auth) {
        this.auth = auth;
    }

    public void register(Router router) {
        router.get("/api/whoami", Access.USER_OR_API_KEY, call -> call.json(200, switch (auth.requireCaller(call)) {
            case UserCaller u -> new WhoAmIJson("session", u.organizationId().map(Object::toString).orElse(null),
                    u.userId().toString(), null, JsonBodies.permissions(u.permissions()));
            // a user's key names the user it acts as; its permissions are what that user holds now, within its scopes
            case ApiKeyCaller k -> new WhoAmIJson("api_key", k.organization().toString(),
                    k.owner().map(Object::toString).orElse(null), k.keyId().toString(),
                    JsonBodies.permissions(k.permissions()));
            // the Authenticator answers a secret key on /v1 routes only
            case SecretKeyCaller s -> throw new IllegalStateException("a secret key reached /api/whoami");
        }));
    }
}
