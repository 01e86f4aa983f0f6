package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.orgkeys.http.backend.BackendApiKeyRoutes;
import com.orgkeys.http.oauth.IntrospectionRoutes;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.Route;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served OpenAPI document and the live router describe exactly the same API. */
class OpenApiDocumentTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Whether the document claims the path (its x-orgkeys-covers); the rest is the HTML dashboard. */
    static boolean isApi(String pattern) {
        return OpenApiResponseValidator.SERVED.covers(pattern);
    }

    @Test
    void every_api_route_is_documented_and_every_documented_operation_is_routed() {
        var response = server.anonymous().get("/openapi.json");
        assertEquals(200, response.status());
        JsonNode doc = response.body();
        assertEquals("3.1.0", doc.get("openapi").asText());

        Set<String> routed = new TreeSet<>();
        for (Route route : server.app.router().routes()) {
            if (isApi(route.pattern())) routed.add(route.method() + " " + route.pattern());
        }
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            doc.get("paths").get(path).fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path));
        }
        assertEquals(routed, documented);
        assertTrue(routed.size() >= 35, "router lists its routes: " + routed.size());
    }

    @Test
    void every_operation_documents_its_errors_as_problems_and_its_schemas_exist() {
        JsonNode doc = server.anonymous().get("/openapi.json").body();
        JsonNode schemas = doc.get("components").get("schemas");
        String raw = doc.toString();
        var refs = java.util.regex.Pattern.compile("#/components/schemas/([A-Za-z]+)").matcher(raw);
        while (refs.find()) assertTrue(schemas.has(refs.group(1)), "missing schema " + refs.group(1));
        doc.get("paths").properties().forEach(path -> path.getValue().forEach(operation -> {
            // the backend API answers Clerk's error shape, as @clerk/backend expects it
            boolean backend = BackendApiKeyRoutes.isBackendPath(path.getKey());
            // RFC 7662's client errors are OAuth's (RFC 6749 §5.2), as introspection clients parse them
            boolean oauth = path.getKey().equals(IntrospectionRoutes.PATH);
            operation.get("responses").fieldNames().forEachRemaining(status -> {
                if (status.startsWith("4") || status.startsWith("5") || status.equals("default")) {
                    JsonNode response = resolve(doc, operation.get("responses").get(status));
                    assertTrue(backend
                            ? response.get("content").get("application/json").toString().contains("ClerkErrors")
                            : response.get("content").has("application/problem+json") || oauth
                            && response.get("content").path("application/json").toString().contains("OAuthError"),
                            path.getKey() + " " + status);
                }
            });
            assertFalse(operation.get("summary").asText().isBlank());
        }));
        assertTrue(doc.get("components").get("securitySchemes").has("apiKey"));
        assertTrue(doc.get("components").get("securitySchemes").has("sessionCookie"));
        assertTrue(doc.get("components").get("securitySchemes").has("secretKey"));
    }

    /**
     * The security each operation documents is exactly the {@link Access} its route declares to the router, which
     * checks it before the handler: public, session cookie only, or session cookie and API key.
     */
    @Test
    void every_operation_documents_the_credentials_its_route_requires() {
        JsonNode doc = server.anonymous().get("/openapi.json").body();
        Map<Access, String> expected = Map.of(Access.PUBLIC, "[]", Access.USER, "[{\"sessionCookie\":[]}]",
                Access.USER_OR_API_KEY, "[{\"apiKey\":[]},{\"sessionCookie\":[]}]",
                Access.SECRET_KEY, "[{\"secretKey\":[]}]");
        List<String> mismatches = new ArrayList<>();
        for (Route route : server.app.router().routes()) {
            if (!isApi(route.pattern())) continue;
            JsonNode security = doc.get("paths").get(route.pattern()).get(route.method().toLowerCase(Locale.ROOT)).get("security");
            String documented = security == null ? "(none)" : security.toString();
            // introspection is PUBLIC to the router and authenticates its client itself (Basic or Bearer secret key)
            String want = route.pattern().equals(IntrospectionRoutes.PATH)
                    ? "[{\"secretKeyBasic\":[]},{\"secretKey\":[]}]" : expected.get(route.access());
            if (!documented.equals(want)) {
                mismatches.add(route + " is " + route.access() + " but documents " + documented);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /** Every route that needs a verified email documents its 403 of type email-not-verified, and no other does. */
    @Test
    void the_routes_that_need_a_verified_email_document_that_403() {
        JsonNode doc = server.anonymous().get("/openapi.json").body();
        Set<String> documenting = new TreeSet<>();
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            JsonNode forbidden = operation.getValue().get("responses").get("403");
            if (forbidden != null && resolve(doc, forbidden).toString().contains(VerifiedEmailRoutes.PROBLEM_TYPE)) {
                documenting.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertEquals(new TreeSet<>(VerifiedEmailRoutes.ROUTES), documenting);
    }

    /** Follows a local $ref (e.g. to #/components/responses/NotFound) to the object itself. */
    static JsonNode resolve(JsonNode doc, JsonNode node) {
        for (int hops = 0; node.has("$ref") && hops < 10; hops++) node = doc.at(node.get("$ref").asText().substring(1));
        return node;
    }

    /**
     * Every operation answers unexpected failures as a problem ({@code default}), and every response it
     * documents names the X-Request-Id header the router sets on all of them.
     */
    @Test
    void every_operation_has_a_default_problem_and_every_response_documents_the_request_id() {
        JsonNode doc = server.anonymous().get("/openapi.json").body();
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            String name = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
            JsonNode responses = operation.getValue().get("responses");
            assertTrue(responses.has("default"), name + " has no default response");
            responses.properties().forEach(response -> assertTrue(
                    resolve(doc, response.getValue()).path("headers").has("X-Request-Id"),
                    name + " " + response.getKey() + " does not document X-Request-Id"));
        }));
        doc.get("components").get("responses").properties().forEach(response -> assertTrue(
                response.getValue().path("headers").has("X-Request-Id"), response.getKey()));
    }

    /** An independent validator (swagger-parser) reads the served document as OpenAPI 3.1 without a single complaint. */
    @Test
    void the_served_document_is_valid_openapi_3_1_for_an_independent_parser() {
        var response = server.anonymous().get("/openapi.json");
        assertEquals(200, response.status());
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(response.body().toString(), null, options);
        assertEquals(java.util.List.of(), result.getMessages() == null ? java.util.List.of() : result.getMessages(), "parser messages");
        assertNotNull(result.getOpenAPI(), "parsed");
        assertEquals(SpecVersion.V31, result.getOpenAPI().getSpecVersion());
        assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
        assertTrue(result.getOpenAPI().getPaths().size() >= 20, "paths: " + result.getOpenAPI().getPaths().size());
    }
}
