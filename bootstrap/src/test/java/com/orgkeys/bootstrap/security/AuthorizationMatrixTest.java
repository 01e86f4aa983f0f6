package com.orgkeys.bootstrap.security;

import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.SecretKeys;
import com.orgkeys.bootstrap.api.TestServer;
import com.orgkeys.bootstrap.api.VerifiedEmailRoutes;
import com.orgkeys.http.backend.BackendApiKeyRoutes;
import com.orgkeys.http.gateway.ForwardAuthRoutes;
import com.orgkeys.http.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For every route of the router and every kind of caller, the exact status. The route list comes from the
 * router itself: a new route without a row here fails {@link #every_api_route_has_a_row()}.
 */
class AuthorizationMatrixTest {
    enum Who {
        NOBODY, GARBAGE_BEARER, REVOKED_KEY, EXPIRED_KEY, READ_ONLY_KEY, FULL_KEY, MEMBER, MEMBERSHIP_MANAGER,
        OTHER_ORG_ADMIN,
        /** Backend secret keys: the only callers of the backend API (/v1), and nothing else. */
        SECRET_KEY, REVOKED_SECRET_KEY,
        /** The admin of an organization of their own whose email is not verified (they cannot join another). */
        UNVERIFIED,
        ADMIN
    }

    /**
     * How a route authenticates: not at all, not at all and only where nobody is signed in (409 to a session), signed-in
     * users only, users and API keys, or backend secret keys only (the backend API; RFC 7662 introspection, whose
     * errors are OAuth's).
     */
    enum Access { PUBLIC, SIGNED_OUT, USER, ANY, BACKEND, INTROSPECTION }

    /** What a row needs to build its request: the home organization's objects, made fresh where the call consumes them. */
    record Request(String path, Object body, String contentType) {
        Request(String path, Object body) {
            this(path, body, body == null ? null : "application/json");
        }
    }

    record Row(String method, String pattern, Access access, String permission, boolean objectOfHomeInPath,
               int success, Function<Who, Request> request) {
    }

    static TestServer server;
    static String adminEmail;
    static String memberEmail;
    static String managerEmail;
    static String otherAdminEmail;
    static String unverifiedEmail;
    static String password(String email) {
        return "correct horse battery " + email;
    }
    static Api homeAdmin;
    static final Map<Who, String> keys = new EnumMap<>(Who.class);
    static final List<String> failures = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        adminEmail = "admin-" + UUID.randomUUID() + "@example.com";
        memberEmail = "member-" + UUID.randomUUID() + "@example.com";
        managerEmail = "manager-" + UUID.randomUUID() + "@example.com";
        otherAdminEmail = "other-" + UUID.randomUUID() + "@example.com";
        unverifiedEmail = "unverified-" + UUID.randomUUID() + "@example.com";
        homeAdmin = server.signUp(adminEmail);
        homeAdmin.post("/api/organizations", body("name", "Home"));
        Api member = server.signUp(memberEmail);
        join(member, memberEmail, "org:member");
        homeAdmin.post("/api/roles", body("key", "org:people", "name", "People", "permissions", List.copyOf(MANAGER_PERMISSIONS)));
        join(server.signUp(managerEmail), managerEmail, "org:people");
        server.signUp(otherAdminEmail).post("/api/organizations", body("name", "Away"));
        server.signUpUnverified(unverifiedEmail).post("/api/organizations", body("name", "Alone"));

        keys.put(Who.GARBAGE_BEARER, "ok_thisIsNotAKey");
        String revoked = homeAdmin.post("/api/api-keys", body("name", "revoked")).text("secret");
        String revokedId = homeAdmin.get("/api/api-keys?query=revoked").body().get("data").get(0).get("id").asText();
        homeAdmin.post("/api/api-keys/" + revokedId + "/revoke", null);
        keys.put(Who.REVOKED_KEY, revoked);
        keys.put(Who.EXPIRED_KEY, homeAdmin.post("/api/api-keys", body("name", "expired", "secondsUntilExpiration", 60)).text("secret"));
        keys.put(Who.READ_ONLY_KEY, homeAdmin.post("/api/api-keys", body("name", "read-only", "scopes", List.of("org:agents:read"))).text("secret"));
        keys.put(Who.FULL_KEY, homeAdmin.post("/api/api-keys", body("name", "full", "scopes", List.of(
                "org:agents:read", "org:agents:manage"))).text("secret"));
        keys.put(Who.SECRET_KEY, SecretKeys.create(server, "matrix").secret());
        var revokedSecretKey = SecretKeys.create(server, "matrix revoked");
        SecretKeys.revoke(server, revokedSecretKey.id());
        keys.put(Who.REVOKED_SECRET_KEY, revokedSecretKey.secret());
        assertEquals(200, server.anonymous().withBearer(keys.get(Who.EXPIRED_KEY)).get("/api/whoami").status());
        server.clock.advance(Duration.ofSeconds(60)); // the key expires; it was valid (and its lookup cached) until now
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void join(Api user, String email, String role) {
        var invitation = homeAdmin.post("/api/invitations", body("email", email, "role", role));
        String url = invitation.text("acceptUrl");
        var accepted = user.post("/api/invitations/accept", body("token", url.substring(url.indexOf("token=") + 6)));
        assertEquals(200, accepted.status(), accepted.toString());
    }

    /** A fresh client for each call, so that calls which end sessions or memberships do not affect the next. */
    static Api as(Who who) {
        return switch (who) {
            case NOBODY -> server.anonymous();
            case GARBAGE_BEARER, REVOKED_KEY, EXPIRED_KEY, READ_ONLY_KEY, FULL_KEY, SECRET_KEY, REVOKED_SECRET_KEY ->
                    server.anonymous().withBearer(keys.get(who));
            case MEMBER -> signIn(memberEmail);
            case MEMBERSHIP_MANAGER -> signIn(managerEmail);
            case OTHER_ORG_ADMIN -> signIn(otherAdminEmail);
            case UNVERIFIED -> signIn(unverifiedEmail);
            case ADMIN -> signIn(adminEmail);
        };
    }

    static Api signIn(String email) {
        Api api = server.anonymous();
        assertEquals(200, api.post("/api/auth/sign-in", body("email", email, "password", password(email))).status());
        return api;
    }

    static String agent() {
        return homeAdmin.post("/api/agents", body("name", "a", "model", "m")).text("id");
    }

    static String apiKey() {
        return homeAdmin.post("/api/api-keys", body("name", "victim")).text("id");
    }

    /** A fresh revoked key: the only kind (with expired ones) that can be deleted. */
    static String revokedApiKey() {
        String id = apiKey();
        homeAdmin.post("/api/api-keys/" + id + "/revoke", null);
        return id;
    }

    static String invitation() {
        return homeAdmin.post("/api/invitations", body("email", UUID.randomUUID() + "@example.com", "role", "org:member")).text("id");
    }

    static String customRole() {
        String key = "org:r" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        homeAdmin.post("/api/roles", body("key", key, "name", "R", "permissions", List.of()));
        return key;
    }

    static String victimMember() {
        String email = "victim-" + UUID.randomUUID() + "@example.com";
        Api victim = server.signUp(email);
        join(victim, email, "org:member");
        return victim.get("/api/me").body().get("user").get("id").asText();
    }

    static String homeOrganization() {
        return homeAdmin.get("/api/organization").text("id");
    }

    static String backendCreator;
    static String backendJoiner;

    /** Two users for the backend API's rows: the admin of organizations it makes, and who joins them. */
    static synchronized String organizationUser(boolean creator) {
        if (backendCreator == null) {
            backendCreator = server.signUp(newEmail()).get("/api/me").body().get("user").get("id").asText();
            backendJoiner = server.signUp(newEmail()).get("/api/me").body().get("user").get("id").asText();
        }
        return creator ? backendCreator : backendJoiner;
    }

    /** A fresh organization made through the backend API ("Zz": after "Home", where a fresh sign-in lands). */
    static String backendOrganization(boolean withJoiner) {
        Api backend = server.anonymous().withBearer(keys.get(Who.SECRET_KEY));
        String id = backend.post("/v1/organizations", body("name", "Zz backend", "created_by", organizationUser(true))).text("id");
        if (withJoiner) {
            backend.post("/v1/organizations/" + id + "/memberships", body("user_id", organizationUser(false), "role", "org:member"));
        }
        return id;
    }

    static String newEmail() {
        return "x-" + UUID.randomUUID() + "@example.com";
    }

    static final List<Row> rows = Stream.concat(Stream.of(
            new Row("GET", "/healthz", Access.PUBLIC, null, false, 200, w -> new Request("/healthz", null)),
            new Row("GET", "/readyz", Access.PUBLIC, null, false, 200, w -> new Request("/readyz", null)),
            new Row("GET", "/openapi.json", Access.PUBLIC, null, false, 200, w -> new Request("/openapi.json", null)),
            // without METRICS_TOKEN (as here) /metrics does not exist on the public port; MetricsApiTest has the token
            new Row("GET", "/metrics", Access.PUBLIC, null, false, 404, w -> new Request("/metrics", null)),
            new Row("POST", "/api/auth/sign-up", Access.PUBLIC, null, false, 201,
                    w -> new Request("/api/auth/sign-up", body("email", newEmail(), "password", "a long passphrase 1", "name", "N"))),
            new Row("POST", "/api/auth/sign-in", Access.PUBLIC, null, false, 200,
                    w -> new Request("/api/auth/sign-in", body("email", adminEmail, "password", password(adminEmail)))),
            new Row("POST", "/api/auth/password-reset", Access.PUBLIC, null, false, 202,
                    w -> new Request("/api/auth/password-reset", body("email", newEmail()))),
            new Row("POST", "/api/auth/password-reset/confirm", Access.PUBLIC, null, false, 422,
                    w -> new Request("/api/auth/password-reset/confirm",
                            body("token", "no-such-token", "password", "a long passphrase 1"))),
            new Row("POST", "/api/auth/sign-in/email", Access.PUBLIC, null, false, 202,
                    w -> new Request("/api/auth/sign-in/email", body("email", newEmail()))),
            // a malformed code and an unknown token: refused before any counter, session or token is touched
            new Row("POST", "/api/auth/sign-in/code", Access.PUBLIC, null, false, 422,
                    w -> new Request("/api/auth/sign-in/code", body("email", newEmail(), "code", "12345x"))),
            new Row("POST", "/api/auth/sign-in/link", Access.SIGNED_OUT, null, false, 422,
                    w -> new Request("/api/auth/sign-in/link", body("token", "no-such-token"))),
            // an unknown sign-in token: refused before any counter is touched
            new Row("POST", "/api/auth/sign-in/second-factor", Access.PUBLIC, null, false, 401,
                    w -> new Request("/api/auth/sign-in/second-factor", body("signInToken", "no-such-token", "code", "123456"))),
            new Row("GET", "/api/account/two-factor", Access.USER, null, false, 200,
                    w -> new Request("/api/account/two-factor", null)),
            // a pending enrollment changes no sign-in; a malformed code and a wrong password are refused unchanged
            new Row("POST", "/api/account/two-factor/totp", Access.USER, null, false, 200,
                    w -> new Request("/api/account/two-factor/totp", null)),
            new Row("POST", "/api/account/two-factor/totp/confirm", Access.USER, null, false, 422,
                    w -> new Request("/api/account/two-factor/totp/confirm", body("code", "12345x"))),
            new Row("POST", "/api/account/two-factor/totp/disable", Access.USER, null, false, 422,
                    w -> new Request("/api/account/two-factor/totp/disable", body("currentPassword", "not the password"))),
            new Row("POST", "/api/account/two-factor/recovery-codes", Access.USER, null, false, 422,
                    w -> new Request("/api/account/two-factor/recovery-codes", body("currentPassword", "not the password"))),
            // passkeys: options store only a short-lived ceremony; malformed answers and unknown ids change nothing
            new Row("GET", "/api/account/passkeys", Access.USER, null, false, 200,
                    w -> new Request("/api/account/passkeys", null)),
            new Row("POST", "/api/account/passkeys/registration/options", Access.USER, null, false, 200,
                    w -> new Request("/api/account/passkeys/registration/options", null)),
            new Row("POST", "/api/account/passkeys/registration", Access.USER, null, false, 422,
                    w -> new Request("/api/account/passkeys/registration",
                            body("ceremonyId", "not-a-ceremony", "name", "laptop", "credential", Map.of()))),
            new Row("PATCH", "/api/account/passkeys/{id}", Access.USER, null, false, 404,
                    w -> new Request("/api/account/passkeys/" + UUID.randomUUID(), body("name", "laptop"))),
            new Row("DELETE", "/api/account/passkeys/{id}", Access.USER, null, false, 404,
                    w -> new Request("/api/account/passkeys/" + UUID.randomUUID(), body("currentPassword", "not the password"))),
            new Row("POST", "/api/auth/sign-in/passkey/options", Access.PUBLIC, null, false, 200,
                    w -> new Request("/api/auth/sign-in/passkey/options", null)),
            new Row("POST", "/api/auth/sign-in/passkey", Access.PUBLIC, null, false, 422,
                    w -> new Request("/api/auth/sign-in/passkey",
                            body("ceremonyId", UUID.randomUUID().toString(), "credential", Map.of("id", "x")))),
            new Row("POST", "/api/auth/sign-in/second-factor/passkey/options", Access.PUBLIC, null, false, 401,
                    w -> new Request("/api/auth/sign-in/second-factor/passkey/options", body("signInToken", "no-such-token"))),
            new Row("POST", "/api/auth/sign-in/second-factor/passkey", Access.PUBLIC, null, false, 422,
                    w -> new Request("/api/auth/sign-in/second-factor/passkey", body("signInToken", "no-such-token",
                            "ceremonyId", UUID.randomUUID().toString(), "credential", Map.of("id", "x")))),
            new Row("POST", "/api/auth/verify-email", Access.USER, null, false, 422,
                    w -> new Request("/api/auth/verify-email", body("code", "12345x"))),
            // a user verified already has no use for a new mail (409); UNVERIFIED gets one (UNVERIFIED_SUCCESS)
            new Row("POST", "/api/auth/verify-email/resend", Access.USER, null, false, 409,
                    w -> new Request("/api/auth/verify-email/resend", null)),
            new Row("POST", "/api/me/password", Access.USER, null, false, 422,
                    w -> new Request("/api/me/password", body("currentPassword", "not the password", "newPassword", "a long passphrase 1"))),
            // a malformed address is refused before the password is checked (no sign-in failure counted)
            new Row("POST", "/api/me/email", Access.USER, null, false, 422,
                    w -> new Request("/api/me/email", body("newEmail", "not an address", "currentPassword", "not the password"))),
            new Row("POST", "/api/me/email/confirm", Access.USER, null, false, 422,
                    w -> new Request("/api/me/email/confirm", body("token", "no-such-token"))),
            new Row("PATCH", "/api/me", Access.USER, null, false, 200,
                    w -> new Request("/api/me", body("name", "Renamed"))),
            new Row("POST", "/api/auth/sign-out", Access.USER, null, false, 204, w -> new Request("/api/auth/sign-out", null)),
            new Row("GET", "/api/me", Access.USER, null, false, 200, w -> new Request("/api/me", null)),
            new Row("GET", "/api/sessions", Access.USER, null, false, 200, w -> new Request("/api/sessions", null)),
            new Row("DELETE", "/api/sessions/{id}", Access.USER, null, false, 404,
                    w -> new Request("/api/sessions/" + UUID.randomUUID(), null)),
            new Row("POST", "/api/organizations", Access.USER, null, false, 201,
                    w -> new Request("/api/organizations", body("name", "Zz made by " + w))),
            new Row("GET", "/api/organizations", Access.USER, null, false, 200, w -> new Request("/api/organizations", null)),
            new Row("PUT", "/api/session/active-organization", Access.USER, null, true, 200,
                    w -> new Request("/api/session/active-organization", body("organizationId", homeAdmin.get("/api/organization").text("id")))),
            new Row("GET", "/api/organization", Access.ANY, null, false, 200, w -> new Request("/api/organization", null)),
            new Row("PATCH", "/api/organization", Access.ANY, "org:sys_profile:manage", false, 200,
                    w -> new Request("/api/organization", body("name", "Home renamed by " + w))),
            new Row("DELETE", "/api/organization", Access.ANY, "org:sys_profile:delete", false, 204,
                    w -> new Request("/api/organization", null)),
            new Row("GET", "/api/members", Access.ANY, "org:sys_memberships:read", false, 200, w -> new Request("/api/members", null)),
            new Row("PATCH", "/api/members/{userId}", Access.ANY, "org:sys_memberships:manage", true, 200,
                    w -> new Request("/api/members/" + victimMember(), body("role", "org:member"))),
            new Row("DELETE", "/api/members/{userId}", Access.ANY, "org:sys_memberships:manage", true, 204,
                    w -> new Request("/api/members/" + victimMember(), null)),
            new Row("GET", "/api/roles", Access.ANY, null, false, 200, w -> new Request("/api/roles", null)),
            new Row("POST", "/api/roles", Access.ANY, "org:sys_memberships:manage", false, 201,
                    w -> new Request("/api/roles", body("key", "org:n" + UUID.randomUUID().toString().replace("-", "").substring(0, 10), "name", "N", "permissions", List.of()))),
            new Row("PATCH", "/api/roles/{key}", Access.ANY, "org:sys_memberships:manage", true, 200,
                    w -> new Request("/api/roles/" + customRole(), body("name", "Changed"))),
            new Row("DELETE", "/api/roles/{key}", Access.ANY, "org:sys_memberships:manage", true, 204,
                    w -> new Request("/api/roles/" + customRole(), null)),
            new Row("POST", "/api/invitations", Access.USER, "org:sys_memberships:manage", false, 201,
                    w -> new Request("/api/invitations", body("email", newEmail(), "role", "org:member"))),
            new Row("GET", "/api/invitations", Access.ANY, "org:sys_memberships:manage", false, 200, w -> new Request("/api/invitations", null)),
            new Row("DELETE", "/api/invitations/{id}", Access.ANY, "org:sys_memberships:manage", true, 204,
                    w -> new Request("/api/invitations/" + invitation(), null)),
            new Row("POST", "/api/invitations/accept", Access.USER, null, false, 404,
                    w -> new Request("/api/invitations/accept", body("token", "no-such-token"))),
            new Row("GET", "/api/audit-events", Access.ANY, "org:sys_memberships:manage", false, 200, w -> new Request("/api/audit-events", null)),
            new Row("GET", "/api/audit-events/export", Access.ANY, "org:sys_memberships:manage", false, 200,
                    w -> new Request("/api/audit-events/export", null)),
            // anyone, with whatever credentials: a secret that is nobody's gets the answer every report gets
            new Row("POST", "/api/api-keys/leaked", Access.PUBLIC, null, false, 202,
                    w -> new Request("/api/api-keys/leaked", body("secret", "ok_" + "0".repeat(49)))),
            new Row("POST", "/api/api-keys", Access.USER, "org:sys_api_keys:manage", false, 201,
                    w -> new Request("/api/api-keys", body("name", "k"))),
            new Row("GET", "/api/api-keys", Access.USER, "org:sys_api_keys:read", false, 200, w -> new Request("/api/api-keys", null)),
            new Row("GET", "/api/api-keys/{id}", Access.USER, "org:sys_api_keys:read", true, 200, w -> new Request("/api/api-keys/" + apiKey(), null)),
            new Row("GET", "/api/api-keys/{id}/usage", Access.USER, "org:sys_api_keys:read", true, 200,
                    w -> new Request("/api/api-keys/" + apiKey() + "/usage?days=7", null)),
            new Row("POST", "/api/api-keys/{id}/revoke", Access.USER, "org:sys_api_keys:manage", true, 200,
                    w -> new Request("/api/api-keys/" + apiKey() + "/revoke", body("revocationReason", "test"))),
            new Row("POST", "/api/api-keys/{id}/rotate", Access.USER, "org:sys_api_keys:manage", true, 200,
                    w -> new Request("/api/api-keys/" + apiKey() + "/rotate", body("gracePeriodSeconds", 60))),
            new Row("PATCH", "/api/api-keys/{id}", Access.USER, "org:sys_api_keys:manage", true, 200,
                    w -> new Request("/api/api-keys/" + apiKey(), body("name", "renamed"))),
            new Row("PUT", "/api/api-keys/{id}/allowlist", Access.USER, "org:sys_api_keys:manage", true, 200,
                    w -> new Request("/api/api-keys/" + apiKey() + "/allowlist", body("allowlist", List.of("192.0.2.0/24")))),
            new Row("PUT", "/api/api-keys/{id}/rate-limit", Access.USER, "org:sys_api_keys:manage", true, 200,
                    w -> new Request("/api/api-keys/" + apiKey() + "/rate-limit", body("requests", 100, "windowSeconds", 60))),
            new Row("DELETE", "/api/api-keys/{id}/rate-limit", Access.USER, "org:sys_api_keys:manage", true, 200,
                    w -> new Request("/api/api-keys/" + apiKey() + "/rate-limit", null)),
            new Row("GET", "/api/organization/api-key-defaults", Access.USER, null, false, 200, // every member: it holds their own keys
                    w -> new Request("/api/organization/api-key-defaults", null)),
            // a limit no test request comes near: the matrix's own keys are limited by it from then on
            new Row("PUT", "/api/organization/api-key-defaults", Access.USER, "org:sys_api_keys:manage", false, 200,
                    w -> new Request("/api/organization/api-key-defaults",
                            body("rateLimit", Map.of("requests", 1_000_000, "windowSeconds", 60)))),
            new Row("POST", "/api/api-keys/{id}/disable", Access.USER, "org:sys_api_keys:manage", true, 200,
                    w -> new Request("/api/api-keys/" + apiKey() + "/disable", null)),
            new Row("POST", "/api/api-keys/{id}/enable", Access.USER, "org:sys_api_keys:manage", true, 200,
                    w -> new Request("/api/api-keys/" + apiKey() + "/enable", null)),
            new Row("DELETE", "/api/api-keys/{id}", Access.USER, "org:sys_api_keys:manage", true, 204,
                    w -> new Request("/api/api-keys/" + revokedApiKey(), null)),
            new Row("GET", "/api/webhooks/endpoints", Access.USER, "org:sys_webhooks:manage", false, 200, w -> new Request("/api/webhooks/endpoints", null)),
            new Row("POST", "/api/webhooks/endpoints", Access.USER, "org:sys_webhooks:manage", false, 201, w -> new Request("/api/webhooks/endpoints", webhookEndpointBody())),
            new Row("GET", "/api/webhooks/endpoints/{id}", Access.USER, "org:sys_webhooks:manage", true, 200, w -> new Request("/api/webhooks/endpoints/" + homeEndpoint(), null)),
            new Row("PATCH", "/api/webhooks/endpoints/{id}", Access.USER, "org:sys_webhooks:manage", true, 200,
                    w -> new Request("/api/webhooks/endpoints/" + homeEndpoint(), body("description", "edited by " + w))),
            new Row("DELETE", "/api/webhooks/endpoints/{id}", Access.USER, "org:sys_webhooks:manage", true, 204, w -> new Request("/api/webhooks/endpoints/" + freshEndpoint(false), null)),
            new Row("POST", "/api/webhooks/endpoints/{id}/test", Access.USER, "org:sys_webhooks:manage", true, 202, w -> new Request("/api/webhooks/endpoints/" + homeEndpoint() + "/test", null)),
            new Row("GET", "/api/webhooks/endpoints/{id}/attempts", Access.USER, "org:sys_webhooks:manage", true, 200,
                    w -> new Request("/api/webhooks/endpoints/" + quietEndpoint(false) + "/attempts", null)),
            new Row("POST", "/api/webhooks/endpoints/{id}/messages/{messageId}/replay", Access.USER, "org:sys_webhooks:manage", true, 202,
                    w -> new Request("/api/webhooks/endpoints/" + homeEndpoint() + "/messages/" + sentMessage(false) + "/replay", null)),
            new Row("GET", "/api/webhooks/endpoints/{id}/secret", Access.USER, "org:sys_webhooks:manage", true, 200, w -> new Request("/api/webhooks/endpoints/" + homeEndpoint() + "/secret", null)),
            new Row("POST", "/api/webhooks/endpoints/{id}/rotate-secret", Access.USER, "org:sys_webhooks:manage", true, 200,
                    w -> new Request("/api/webhooks/endpoints/" + homeEndpoint() + "/rotate-secret", null)),
            new Row("GET", "/v1/webhooks/endpoints", Access.BACKEND, null, false, 200, w -> new Request("/v1/webhooks/endpoints", null)),
            new Row("POST", "/v1/webhooks/endpoints", Access.BACKEND, null, false, 201, w -> new Request("/v1/webhooks/endpoints", webhookEndpointBody())),
            new Row("GET", "/v1/webhooks/endpoints/{id}", Access.BACKEND, null, true, 200, w -> new Request("/v1/webhooks/endpoints/" + instanceEndpoint(), null)),
            new Row("PATCH", "/v1/webhooks/endpoints/{id}", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/webhooks/endpoints/" + instanceEndpoint(), body("description", "edited by " + w))),
            new Row("DELETE", "/v1/webhooks/endpoints/{id}", Access.BACKEND, null, true, 204, w -> new Request("/v1/webhooks/endpoints/" + freshEndpoint(true), null)),
            new Row("POST", "/v1/webhooks/endpoints/{id}/test", Access.BACKEND, null, true, 202, w -> new Request("/v1/webhooks/endpoints/" + instanceEndpoint() + "/test", null)),
            new Row("GET", "/v1/webhooks/endpoints/{id}/attempts", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/webhooks/endpoints/" + quietEndpoint(true) + "/attempts", null)),
            new Row("POST", "/v1/webhooks/endpoints/{id}/messages/{messageId}/replay", Access.BACKEND, null, true, 202,
                    w -> new Request("/v1/webhooks/endpoints/" + instanceEndpoint() + "/messages/" + sentMessage(true) + "/replay", null)),
            new Row("GET", "/v1/webhooks/endpoints/{id}/secret", Access.BACKEND, null, true, 200, w -> new Request("/v1/webhooks/endpoints/" + instanceEndpoint() + "/secret", null)),
            new Row("POST", "/v1/webhooks/endpoints/{id}/rotate-secret", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/webhooks/endpoints/" + instanceEndpoint() + "/rotate-secret", null)),
            new Row("GET", "/api/whoami", Access.ANY, null, false, 200, w -> new Request("/api/whoami", null)),
            new Row("GET", "/api/session/token", Access.USER, null, false, 200, w -> new Request("/api/session/token", null)),
            new Row("GET", "/.well-known/jwks.json", Access.PUBLIC, null, false, 200,
                    w -> new Request("/.well-known/jwks.json", null)),
            new Row("GET", "/v1/jwks", Access.BACKEND, null, false, 200, w -> new Request("/v1/jwks", null)),
            new Row("GET", "/api/agents", Access.ANY, "org:agents:read", false, 200, w -> new Request("/api/agents", null)),
            new Row("POST", "/api/agents", Access.ANY, "org:agents:manage", false, 201,
                    w -> new Request("/api/agents", body("name", "n", "model", "m"))),
            new Row("DELETE", "/api/agents", Access.ANY, "org:agents:manage", true, 204,
                    w -> new Request("/api/agents", body("agentId", agent()))),
            new Row("GET", "/api/agents/{id}", Access.ANY, "org:agents:read", true, 200, w -> new Request("/api/agents/" + agent(), null)),
            new Row("DELETE", "/api/agents/{id}", Access.ANY, "org:agents:manage", true, 204, w -> new Request("/api/agents/" + agent(), null)),
            new Row("GET", "/v1/api_keys", Access.BACKEND, null, false, 200,
                    w -> new Request("/v1/api_keys?subject=" + homeOrganization(), null)),
            new Row("POST", "/v1/api_keys", Access.BACKEND, null, false, 200,
                    w -> new Request("/v1/api_keys", body("name", "backend", "subject", homeOrganization()))),
            new Row("POST", "/v1/api_keys/verify", Access.BACKEND, null, false, 200,
                    w -> new Request("/v1/api_keys/verify", body("secret", keys.get(Who.FULL_KEY)))),
            new Row("GET", "/v1/api_keys/{id}", Access.BACKEND, null, true, 200, w -> new Request("/v1/api_keys/" + apiKey(), null)),
            new Row("POST", "/v1/api_keys/{id}/revoke", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/api_keys/" + apiKey() + "/revoke", body("revocation_reason", "test"))),
            new Row("PATCH", "/v1/api_keys/{id}", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/api_keys/" + apiKey(), body("description", "edited", "subject", homeOrganization()))),
            new Row("DELETE", "/v1/api_keys/{id}", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/api_keys/" + revokedApiKey(), null)),
            // orgkeys keeps no secrets: always refused, after the credentials and the key's existence
            new Row("GET", "/v1/api_keys/{id}/secret", Access.BACKEND, null, true, 400,
                    w -> new Request("/v1/api_keys/" + apiKey() + "/secret", null)),
            // the same at the root, where @clerk/backend 3.25.0 calls its apiKeys API
            new Row("GET", "/api_keys", Access.BACKEND, null, false, 200,
                    w -> new Request("/api_keys?subject=" + homeOrganization(), null)),
            new Row("POST", "/api_keys", Access.BACKEND, null, false, 200,
                    w -> new Request("/api_keys", body("name", "backend", "subject", homeOrganization()))),
            new Row("POST", "/api_keys/verify", Access.BACKEND, null, false, 200,
                    w -> new Request("/api_keys/verify", body("secret", keys.get(Who.FULL_KEY)))),
            new Row("GET", "/api_keys/{id}", Access.BACKEND, null, true, 200, w -> new Request("/api_keys/" + apiKey(), null)),
            new Row("POST", "/api_keys/{id}/revoke", Access.BACKEND, null, true, 200,
                    w -> new Request("/api_keys/" + apiKey() + "/revoke", body("revocation_reason", "test"))),
            new Row("PATCH", "/api_keys/{id}", Access.BACKEND, null, true, 200,
                    w -> new Request("/api_keys/" + apiKey(), body("description", "edited", "subject", homeOrganization()))),
            new Row("DELETE", "/api_keys/{id}", Access.BACKEND, null, true, 200,
                    w -> new Request("/api_keys/" + revokedApiKey(), null)),
            // orgkeys keeps no secrets: always refused, after the credentials and the key's existence
            new Row("GET", "/api_keys/{id}/secret", Access.BACKEND, null, true, 400,
                    w -> new Request("/api_keys/" + apiKey() + "/secret", null)),
            new Row("GET", "/v1/organizations", Access.BACKEND, null, false, 200, w -> new Request("/v1/organizations?limit=1", null)),
            new Row("POST", "/v1/organizations", Access.BACKEND, null, false, 200,
                    w -> new Request("/v1/organizations", body("name", "Zz made", "created_by", organizationUser(true)))),
            new Row("GET", "/v1/organizations/{id}", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/organizations/" + homeOrganization(), null)),
            new Row("PATCH", "/v1/organizations/{id}", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/organizations/" + homeOrganization(), body("name", "Home"))),
            new Row("PATCH", "/v1/organizations/{id}/metadata", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/organizations/" + homeOrganization() + "/metadata",
                            body("public_metadata", Map.of("a", 1)))),
            new Row("PUT", "/v1/organizations/{id}/metadata", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/organizations/" + homeOrganization() + "/metadata",
                            body("private_metadata", Map.of("b", 2)))),
            new Row("DELETE", "/v1/organizations/{id}", Access.BACKEND, null, false, 200,
                    w -> new Request("/v1/organizations/" + backendOrganization(false), null)),
            new Row("GET", "/v1/organizations/{id}/memberships", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/organizations/" + homeOrganization() + "/memberships", null)),
            new Row("POST", "/v1/organizations/{id}/memberships", Access.BACKEND, null, false, 200,
                    w -> new Request("/v1/organizations/" + backendOrganization(false) + "/memberships",
                            body("user_id", organizationUser(false), "role", "org:member"))),
            new Row("PATCH", "/v1/organizations/{id}/memberships/{user_id}", Access.BACKEND, null, false, 200,
                    w -> new Request("/v1/organizations/" + backendOrganization(true) + "/memberships/" + organizationUser(false),
                            body("role", "org:admin"))),
            new Row("DELETE", "/v1/organizations/{id}/memberships/{user_id}", Access.BACKEND, null, false, 200,
                    w -> new Request("/v1/organizations/" + backendOrganization(true) + "/memberships/" + organizationUser(false), null)),
            new Row("GET", "/v1/users", Access.BACKEND, null, false, 200, w -> new Request("/v1/users?limit=2", null)),
            new Row("GET", "/v1/users/count", Access.BACKEND, null, false, 200, w -> new Request("/v1/users/count", null)),
            new Row("POST", "/v1/users", Access.BACKEND, null, false, 200,
                    w -> new Request("/v1/users", body("email_address", List.of(newEmail()), "first_name", "Made"))),
            new Row("GET", "/v1/users/{id}", Access.BACKEND, null, true, 200, w -> new Request("/v1/users/" + backendUser(), null)),
            new Row("PATCH", "/v1/users/{id}", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/users/" + backendUser(), body("first_name", "Renamed"))),
            new Row("DELETE", "/v1/users/{id}", Access.BACKEND, null, true, 200, w -> new Request("/v1/users/" + backendUser(), null)),
            new Row("PATCH", "/v1/users/{id}/metadata", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/users/" + backendUser() + "/metadata", body("public_metadata", Map.of("a", 1)))),
            new Row("PUT", "/v1/users/{id}/metadata", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/users/" + backendUser() + "/metadata", body("unsafe_metadata", Map.of("b", 2)))),
            new Row("GET", "/v1/sessions", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/sessions?user_id=" + homeAdmin.get("/api/me").body().get("user").get("id").asText(), null)),
            new Row("GET", "/v1/sessions/{id}", Access.BACKEND, null, true, 200, w -> new Request("/v1/sessions/" + freshSession(), null)),
            new Row("POST", "/v1/sessions/{id}/revoke", Access.BACKEND, null, true, 200,
                    w -> new Request("/v1/sessions/" + freshSession() + "/revoke", null)),
            new Row("GET", "/api/account/metadata", Access.USER, null, false, 200, w -> new Request("/api/account/metadata", null)),
            new Row("PATCH", "/api/account/metadata", Access.USER, null, false, 200,
                    w -> new Request("/api/account/metadata", body("unsafeMetadata", Map.of("by", w.name())))),
            // RFC 7662: a backend secret key authenticates the client (here as Bearer); the token is a live API key
            new Row("POST", "/oauth/introspect", Access.INTROSPECTION, null, false, 200,
                    w -> new Request("/oauth/introspect", "token=" + keys.get(Who.FULL_KEY), "application/x-www-form-urlencoded"))),
            // gateway forward-auth: the caller's own key or session, every method (Envoy asks with the original one)
            ForwardAuthRoutes.METHODS.stream().map(method -> new Row(method, "/v1/forward-auth", Access.ANY, "org:agents:read",
                    false, 200, w -> new Request("/v1/forward-auth?scope=org:agents:read", null)))).toList();

    /** Where the matrix's endpoints point: a public address (no name to resolve); only test events go there. */
    static final String WEBHOOK_URL = "https://93.184.215.14/hooks";

    static Map<String, Object> webhookEndpointBody() {
        return body("url", WEBHOOK_URL, "eventTypes", List.of("apiKey.expiring"));
    }

    static Api backendApi() {
        return server.anonymous().withBearer(keys.get(Who.SECRET_KEY));
    }

    static final Map<Boolean, String> sharedEndpoints = new java.util.HashMap<>();
    static final Map<Boolean, String> sentMessages = new java.util.HashMap<>();

    static Api webhookAdmin(boolean instance) {
        return instance ? backendApi() : homeAdmin;
    }

    static String webhookBase(boolean instance) {
        return instance ? "/v1/webhooks/endpoints" : "/api/webhooks/endpoints";
    }

    /** The endpoint the rows that keep it share (the home organization's, or the instance's). */
    static synchronized String sharedEndpoint(boolean instance) {
        return sharedEndpoints.computeIfAbsent(instance, i -> {
            var created = webhookAdmin(i).post(webhookBase(i), webhookEndpointBody());
            assertEquals(201, created.status(), created.toString());
            return created.text("id");
        });
    }

    static String homeEndpoint() {
        return sharedEndpoint(false);
    }

    static String instanceEndpoint() {
        return sharedEndpoint(true);
    }

    static final Map<Boolean, String> quietEndpoints = new java.util.HashMap<>();

    /** An endpoint sent nothing: its attempt list is empty, whatever the network does with the shared one's. */
    static synchronized String quietEndpoint(boolean instance) {
        return quietEndpoints.computeIfAbsent(instance, i -> {
            var created = webhookAdmin(i).post(webhookBase(i), webhookEndpointBody());
            assertEquals(201, created.status(), created.toString());
            return created.text("id");
        });
    }

    /** A message the shared endpoint was sent: a test event. */
    static synchronized String sentMessage(boolean instance) {
        return sentMessages.computeIfAbsent(instance, i -> {
            var sent = webhookAdmin(i).post(webhookBase(i) + "/" + sharedEndpoint(i) + "/test", null);
            assertEquals(202, sent.status(), sent.toString());
            return sent.text("messageId");
        });
    }

    /** A fresh endpoint to delete; the others (but the shared one) go first, so that the 20 allowed never run out. */
    static String freshEndpoint(boolean instance) {
        Api admin = webhookAdmin(instance);
        String keep = sharedEndpoint(instance);
        for (var endpoint : admin.get(webhookBase(instance)).body().get("data")) {
            String id = endpoint.get("id").asText();
            if (!id.equals(keep) && !id.equals(quietEndpoints.get(instance))) admin.delete(webhookBase(instance) + "/" + id);
        }
        var created = admin.post(webhookBase(instance), webhookEndpointBody());
        assertEquals(201, created.status(), created.toString());
        return created.text("id");
    }

    /** A user made through the backend API, for the rows that change or delete one. */
    static String backendUser() {
        var created = server.anonymous().withBearer(keys.get(Who.SECRET_KEY))
                .post("/v1/users", body("email_address", List.of(newEmail()), "first_name", "Victim"));
        assertEquals(200, created.status(), created.toString());
        return created.body().get("id").asText();
    }

    /** The public id of a new session of a new user (signed in with a password the backend set). */
    static String freshSession() {
        String email = newEmail();
        Api backend = server.anonymous().withBearer(keys.get(Who.SECRET_KEY));
        String id = backend.post("/v1/users", body("email_address", List.of(email), "first_name", "S",
                "password", password(email))).body().get("id").asText();
        signIn(email);
        return backend.get("/v1/sessions?user_id=" + id).body().get("data").get(0).get("id").asText();
    }

    static final Set<String> MEMBER_PERMISSIONS = Set.of("org:sys_memberships:read", "org:agents:read", "org:agents:manage");
    /** A custom role that may manage memberships and nothing else. */
    static final Set<String> MANAGER_PERMISSIONS = Set.of("org:sys_memberships:read", "org:sys_memberships:manage");
    /**
     * What a row's request gives or takes away, beyond the permission it needs: it needs all of them too (nobody
     * grants what they lack). The member rows' victims are org:member and get org:member; the role rows' roles
     * have no permissions; a key without named scopes gets those its creator holds.
     */
    static final Map<String, Set<String>> GRANTS = Map.of(
            "PATCH /api/members/{userId}", MEMBER_PERMISSIONS,
            "DELETE /api/members/{userId}", MEMBER_PERMISSIONS,
            "POST /api/invitations", MEMBER_PERMISSIONS);
    static final Set<String> READ_ONLY_KEY_SCOPES = Set.of("org:agents:read");
    /** Every scope a key can have: keys carry feature permissions only. */
    static final Set<String> FULL_KEY_SCOPES = Set.of("org:agents:read", "org:agents:manage");

    /** The rows whose success differs for a user whose email is not verified yet. */
    static final Map<String, Integer> UNVERIFIED_SUCCESS = Map.of("POST /api/auth/verify-email/resend", 202);

    static int expected(Row row, Who who) {
        if (row.access() == Access.PUBLIC) return row.success();
        if (row.access() == Access.SIGNED_OUT) {
            return switch (who) {
                case MEMBER, MEMBERSHIP_MANAGER, OTHER_ORG_ADMIN, UNVERIFIED, ADMIN -> 409;
                default -> row.success();
            };
        }
        // the backend API takes a backend secret key and nothing else; a secret key is nothing anywhere else
        if (row.access() == Access.BACKEND || row.access() == Access.INTROSPECTION) {
            return who == Who.SECRET_KEY ? row.success() : 401;
        }
        String route = row.method() + " " + row.pattern();
        switch (who) {
            case NOBODY, GARBAGE_BEARER, REVOKED_KEY, EXPIRED_KEY, SECRET_KEY, REVOKED_SECRET_KEY:
                return 401;
            case READ_ONLY_KEY, FULL_KEY: {
                if (row.access() == Access.USER) return 403;
                Set<String> scopes = who == Who.READ_ONLY_KEY ? READ_ONLY_KEY_SCOPES : FULL_KEY_SCOPES;
                return row.permission() == null || scopes.contains(row.permission()) ? row.success() : 403;
            }
            case MEMBER, MEMBERSHIP_MANAGER: {
                Set<String> held = who == Who.MEMBER ? MEMBER_PERMISSIONS : MANAGER_PERMISSIONS;
                // personal keys: without the key permissions a member has their own keys only; the organization's
                // keys (the rows' victims) are not there for them (404, as another organization's), their list is theirs
                if (row.permission() != null && row.permission().startsWith("org:sys_api_keys:")
                        && !held.contains(row.permission()) && row.pattern().startsWith("/api/api-keys")) {
                    if (row.objectOfHomeInPath()) return 404;
                    if (route.equals("GET /api/api-keys")) return row.success();
                }
                if (row.permission() != null && !held.contains(row.permission())) return 403;
                return held.containsAll(GRANTS.getOrDefault(route, Set.of())) ? row.success() : 403;
            }
            case OTHER_ORG_ADMIN:
                return row.objectOfHomeInPath() ? 404 : row.success();
            case UNVERIFIED:
                if (VerifiedEmailRoutes.ROUTES.contains(route)) return 403;
                return row.objectOfHomeInPath() ? 404 : UNVERIFIED_SUCCESS.getOrDefault(route, row.success());
            default:
                return row.success();
        }
    }

    @Test
    void every_api_route_has_a_row() {
        Set<String> routed = new TreeSet<>();
        for (Route route : server.app.router().routes()) {
            if (route.pattern().startsWith("/api/") || BackendApiKeyRoutes.isBackendPath(route.pattern()) || Set.of("/healthz", "/readyz", "/openapi.json", "/metrics", "/oauth/introspect", "/.well-known/jwks.json").contains(route.pattern())) {
                routed.add(route.method() + " " + route.pattern());
            }
        }
        Set<String> covered = new TreeSet<>();
        rows.forEach(r -> covered.add(r.method() + " " + r.pattern()));
        assertEquals(routed, covered, "add a row for each new route");
        assertTrue(routed.containsAll(VerifiedEmailRoutes.ROUTES), "VerifiedEmailRoutes names routes that exist");
    }

    @Test
    void every_caller_gets_the_exact_status_on_every_route() {
        // Organization deletion by its admin runs last: it ends the home organization. Names keep "Home"
        // first alphabetically, where a fresh sign-in lands.
        List<Row> ordered = new ArrayList<>(rows);
        ordered.sort(Comparator.comparing(r -> r.method().equals("DELETE") && r.pattern().equals("/api/organization")));
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Row row : ordered) {
            for (Who who : Who.values()) {
                if (row.pattern().equals("/api/organization") && row.method().equals("DELETE") && who == Who.ADMIN) continue;
                check(row, who, seen);
            }
        }
        Row deleteOrganization = rows.stream().filter(r -> r.method().equals("DELETE") && r.pattern().equals("/api/organization")).findFirst().orElseThrow();
        check(deleteOrganization, Who.ADMIN, seen);
        assertTrue(failures.isEmpty(), failures.size() + " wrong statuses:\n" + String.join("\n", failures));
        assertTrue(seen.size() >= rows.size() * Who.values().length - 1);
    }

    static void check(Row row, Who who, Map<String, Integer> seen) {
        // public rows from an address per caller: eleven password resets from one would meet its per-address limit
        Api api = row.access() == Access.PUBLIC ? as(who).forwardedFor("198.51.100." + (who.ordinal() + 1)) : as(who);
        Request request = row.request().apply(who);
        Api.Response response = request.body() instanceof String form
                ? api.send(row.method(), request.path(), request.contentType(), form)
                : api.send(row.method(), request.path(), request.body());
        int want = expected(row, who);
        seen.put(row.method() + " " + row.pattern() + " as " + who, response.status());
        if (response.status() != want) {
            failures.add(row.method() + " " + row.pattern() + " as " + who + ": want " + want + ", got " + response);
        }
        boolean refusedAsUnverified = who == Who.UNVERIFIED && VerifiedEmailRoutes.ROUTES.contains(row.method() + " " + row.pattern());
        if (refusedAsUnverified && response.status() == 403 && !VerifiedEmailRoutes.PROBLEM_TYPE.equals(response.text("type"))) {
            failures.add(row.method() + " " + row.pattern() + " as " + who + ": not the email-not-verified problem: " + response);
        }
        // the backend API answers errors in Clerk's shape, as @clerk/backend reads them
        // (all of /v1, forward-auth included) and introspection in OAuth's (RFC 6749 §5.2), both as application/json
        boolean backend = BackendApiKeyRoutes.isBackendPath(row.pattern());
        String errorType = backend || row.access() == Access.INTROSPECTION ? "application/json" : "application/problem+json";
        if (response.status() >= 400 && !errorType.equals(response.header("Content-Type"))) {
            failures.add(row.method() + " " + row.pattern() + " as " + who + ": error without " + errorType);
        }
        if (backend && !row.method().equals("HEAD") && response.status() >= 400
                && !response.body().path("errors").path(0).has("code")) {
            failures.add(row.method() + " " + row.pattern() + " as " + who + ": error not in Clerk's shape: " + response);
        }
        if (row.access() == Access.INTROSPECTION && response.status() >= 400 && !response.body().has("error")) {
            failures.add(row.method() + " " + row.pattern() + " as " + who + ": error not in OAuth's shape: " + response);
        }
        if (HostileInputTest.revealsInternals(response.raw())) {
            failures.add(row.method() + " " + row.pattern() + " as " + who + ": exception or stack trace in the body");
        }
    }
}
