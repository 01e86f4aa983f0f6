package com.orgkeys.bootstrap.api;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import com.orgkeys.domain.apikey.ApiKeySecret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /oauth/introspect} driven by an independent RFC 7662 client, Nimbus's {@code oauth2-oidc-sdk}: its
 * request (form body, client authentication) and its parser of the answer. Every answer is also checked against the
 * OpenAPI document, as {@link Api} does for its own requests.
 */
class IntrospectionApiTest {
    static TestServer server;
    static Api admin;
    static String backendSecret;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.signUp("i" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        assertEquals(201, admin.post("/api/organizations", body("name", "Introspected")).status());
        backendSecret = SecretKeys.create(server, "introspection").secret();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static URI endpoint() {
        return URI.create(server.origin() + "/oauth/introspect");
    }

    /** Nimbus sends the request and parses the answer; the raw answer is checked against the document first. */
    static TokenIntrospectionResponse introspect(TokenIntrospectionRequest request) throws IOException, ParseException {
        HTTPResponse response = request.toHTTPRequest().send();
        OpenApiResponseValidator.SERVED.assertValid("POST", "/oauth/introspect", response.getStatusCode(),
                response.getHeaderMap(), response.getBody() == null ? "" : response.getBody());
        assertEquals("no-store", response.getHeaderValue("Cache-Control"), "never cached (RFC 7662 §4)");
        return TokenIntrospectionResponse.parse(response);
    }

    static TokenIntrospectionResponse introspectBasic(String token) throws IOException, ParseException {
        return introspect(new TokenIntrospectionRequest(endpoint(),
                new ClientSecretBasic(new ClientID("any-resource-server"), new Secret(backendSecret)), new TypelessAccessToken(token)));
    }

    static Api.Response createKey(Object... fields) {
        List<Object> all = new ArrayList<>(List.of("name", "introspected"));
        all.addAll(List.of(fields));
        var created = admin.post("/api/api-keys", body(all.toArray()));
        assertEquals(201, created.status(), created.toString());
        return created;
    }

    @Test
    void an_active_key_is_described_for_basic_and_bearer_clients() throws Exception {
        var created = createKey("scopes", List.of("org:agents:read"), "secondsUntilExpiration", 3600);
        String secret = created.text("secret");
        String org = admin.get("/api/organization").text("id");

        TokenIntrospectionSuccessResponse basic = introspectBasic(secret).toSuccessResponse();
        assertTrue(basic.isActive());
        assertEquals(Set.of("org:agents:read"), Set.copyOf(basic.getScope().toStringList()));
        assertEquals("api_key:" + created.text("id"), basic.getSubject().getValue());
        assertEquals(created.text("id"), basic.getClientID().getValue());
        assertEquals(org, basic.getStringParameter("org_id"));
        assertEquals(AccessTokenType.BEARER, basic.getTokenType());
        long expires = java.time.Instant.parse(created.text("expiresAt")).getEpochSecond();
        assertEquals(expires, basic.getExpirationTime().toInstant().getEpochSecond());

        // the secret key as Bearer: the other documented client authentication
        TokenIntrospectionSuccessResponse bearer = introspect(new TokenIntrospectionRequest(endpoint(),
                new BearerAccessToken(backendSecret), new TypelessAccessToken(secret))).toSuccessResponse();
        assertTrue(bearer.isActive());
        assertEquals(basic.toJSONObject(), bearer.toJSONObject());

        // a key that never expires has no exp; token_type_hint is accepted and changes nothing
        String forever = createKey().text("secret");
        var raw = post("Bearer " + backendSecret, "application/x-www-form-urlencoded",
                "token=" + forever + "&token_type_hint=access_token");
        assertEquals(200, raw.statusCode(), raw.body());
        assertTrue(raw.body().contains("\"active\":true") && !raw.body().contains("\"exp\""), raw.body());
    }

    @Test
    void revoked_expired_unknown_and_hostile_tokens_are_only_inactive() throws Exception {
        var revoked = createKey();
        assertTrue(introspectBasic(revoked.text("secret")).toSuccessResponse().isActive()); // now in the cache
        assertEquals(200, admin.post("/api/api-keys/" + revoked.text("id") + "/revoke", null).status());
        var expiring = createKey("secondsUntilExpiration", 60);
        assertTrue(introspectBasic(expiring.text("secret")).toSuccessResponse().isActive());
        server.clock.advance(Duration.ofSeconds(61));

        List<String> inactive = List.of(revoked.text("secret"), expiring.text("secret"), ApiKeySecret.generate().reveal(),
                "ok_typo", "not a key at all", "ok_" + "A".repeat(100 * 1024), "ok_\0" + "A".repeat(48), "\0", "ok_ ",
                backendSecret /* a secret key is no API key */);
        for (String token : inactive) {
            TokenIntrospectionResponse answer = introspectBasic(token);
            assertTrue(answer.indicatesSuccess(), token.length() > 60 ? "long token" : token);
            assertFalse(answer.toSuccessResponse().isActive());
            // RFC 7662 §2.2: nothing but active=false, so no state of a key leaks to the client
            assertEquals(Map.of("active", false), answer.toSuccessResponse().toJSONObject());
        }
    }

    @Test
    void a_client_without_a_valid_secret_key_gets_401_with_both_challenges() throws Exception {
        String apiKey = createKey().text("secret");
        var revokedSecret = SecretKeys.create(server, "revoked client");
        SecretKeys.revoke(server, revokedSecret.id());
        List<String> authorizations = new ArrayList<>(List.of("", "Bearer " + apiKey, "Bearer sk_orgkeys_nope",
                "Basic !!!notbase64", "Basic " + base64("no-colon"), "Basic " + base64("client:" + apiKey),
                "Basic " + base64("client:%zz"), "Digest x", "Bearer " + "a".repeat(5000),
                "Basic " + base64("client:" + revokedSecret.secret())));
        for (String authorization : authorizations) {
            var answer = post(authorization, "application/x-www-form-urlencoded", "token=" + apiKey);
            assertEquals(401, answer.statusCode(), authorization + ": " + answer.body());
            assertEquals(List.of("Basic realm=\"orgkeys\"", "Bearer realm=\"orgkeys\""),
                    answer.headers().allValues("WWW-Authenticate"));
            assertTrue(answer.body().contains("\"error\":\"invalid_client\""), answer.body());
            assertFalse(answer.body().contains("active"), "nothing about the token before the client is known");
        }
        // and Nimbus reads it as RFC 6749's error
        TokenIntrospectionResponse parsed = introspect(new TokenIntrospectionRequest(endpoint(),
                new ClientSecretBasic(new ClientID("x"), new Secret("sk_orgkeys_wrong")), new TypelessAccessToken(apiKey)));
        assertFalse(parsed.indicatesSuccess());
        TokenIntrospectionErrorResponse error = parsed.toErrorResponse();
        assertEquals("invalid_client", error.getErrorObject().getCode());
        assertEquals(401, error.getErrorObject().getHTTPStatusCode());
    }

    @Test
    void a_request_without_one_token_is_invalid() throws Exception {
        String client = "Bearer " + backendSecret;
        for (String form : List.of("", "token=", "token_type_hint=access_token", "token=a&token=b", "token=%zz")) {
            var answer = post(client, "application/x-www-form-urlencoded", form);
            assertEquals(400, answer.statusCode(), form + ": " + answer.body());
            assertTrue(answer.body().contains("\"error\":\"invalid_request\""), answer.body());
        }
        var json = post(client, "application/json", "{\"token\":\"ok_x\"}");
        assertEquals(415, json.statusCode(), json.body());
        assertTrue(json.body().contains("\"error\":\"invalid_request\""), json.body());
        // 2 MB declared, 64 KB sent: the answer comes before the rest would be read
        assertEquals("HTTP/1.1 413", Api.statusLineOfDeclaredBody(endpoint(), "POST", 2 * 1024 * 1024,
                "token=" + "A".repeat(64 * 1024), "Content-Type: application/x-www-form-urlencoded",
                "Authorization: " + client));
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A raw request, for what Nimbus would never send; the answer is checked against the document too. */
    static HttpResponse<String> post(String authorization, String contentType, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(form));
        if (!authorization.isEmpty()) request.header("Authorization", authorization);
        HttpResponse<String> response = Api.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        OpenApiResponseValidator.SERVED.assertValid("POST", "/oauth/introspect", response.statusCode(),
                response.headers().map(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        return response;
    }
}
