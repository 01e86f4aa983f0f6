package com.orgkeys.bootstrap.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.SecretKeys;
import com.orgkeys.http.backend.BackendApiKeyRoutes;
import com.orgkeys.http.gateway.ForwardAuthRoutes;
import com.orgkeys.bootstrap.api.OpenApiResponseValidator;
import com.orgkeys.bootstrap.api.TestServer;
import com.orgkeys.bootstrap.api.VerifiedEmailRoutes;
import com.orgkeys.http.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of hostile bodies, paths and headers sent to every JSON route, and cases generated from the served
 * OpenAPI document (every field of every body: NUL, null elements, a huge string, each wrong type; every query
 * parameter: NUL, a huge value): every answer is a 4xx problem, no 5xx, and the database is byte-for-byte what it
 * was before. A new route or field is covered as soon as it is documented (OpenApiDocumentTest keeps the document
 * equal to the router).
 */
class HostileInputTest {
    static TestServer server;
    static Api admin;
    /** The backend API's caller (a backend secret key): /v1 answers anyone else 401 before reading a body. */
    static Api backend;
    static String agentId;
    static String apiKeyId;
    static String adminUserId;
    static String organizationId;
    static String webhookEndpointId;
    static String instanceWebhookEndpointId;
    static final HttpClient raw = HttpClient.newHttpClient();
    static final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.signUp("hostile@example.com");
        admin.post("/api/organizations", body("name", "Target"));
        agentId = admin.post("/api/agents", body("id", "existing", "name", "n", "model", "m")).text("id");
        admin.post("/api/roles", body("key", "org:custom", "name", "Custom", "permissions", List.of()));
        apiKeyId = admin.post("/api/api-keys", body("name", "existing")).text("id");
        adminUserId = admin.get("/api/me").body().get("user").get("id").asText();
        organizationId = admin.get("/api/organization").text("id");
        backend = server.anonymous().withBearer(SecretKeys.create(server, "hostile").secret());
        // public addresses (no name to resolve), for event types never sent here: nothing is delivered
        var endpoint = body("url", "https://93.184.215.14/hooks", "eventTypes", List.of("apiKey.expiring"));
        webhookEndpointId = admin.post("/api/webhooks/endpoints", endpoint).text("id");
        instanceWebhookEndpointId = backend.post("/v1/webhooks/endpoints", endpoint).text("id");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * A well-formed id that names no passkey, user or session, so that those routes read their body before their 404
     * (and a well-formed body changes nothing).
     */
    static final UUID NO_PASSKEY = UUID.randomUUID();

    static final List<String> BODIES = List.of(
            "{", "{\"name\":}", "nul", "{\"a\" 1}", "\u0000", "{}}", "{\"name\":\"x\"} trailing",
            "[]", "\"text\"", "123", "true", "null", "[{}]",
            "{\"name\":123,\"model\":456,\"email\":789,\"role\":true,\"token\":1.5,\"organizationId\":[]}",
            "{\"newEmail\":789,\"currentPassword\":[]}", "{\"newEmail\":null,\"currentPassword\":{}}",
            "{\"newEmail\":\"a\\u0000@x.io\",\"currentPassword\":\"\\u0000\"}",
            "{\"newEmail\":\"" + "y".repeat(10_000) + "@example.com\",\"currentPassword\":\"" + "x".repeat(10_000) + "\"}",
            "{\"name\":{\"nested\":1}}", "{\"name\":[\"a\"]}",
            "{\"secondsUntilExpiration\":1e400,\"name\":\"x\"}",
            "{\"secondsUntilExpiration\":99999999999999999999999999999,\"name\":\"x\"}",
            "{\"name\":\"a\",\"name\":\"b\"}",
            "[".repeat(100_000), "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000),
            "{\"name\":\"" + "x".repeat(10_000) + "\",\"model\":\"m\",\"email\":\"" + "y".repeat(10_000) + "@example.com\"}",
            "{\"name\":\"\\ud800\",\"model\":\"\\udfff\",\"email\":\"\\ud800@x.io\",\"role\":\"\\ud800\",\"token\":\"\\ud800\",\"organizationId\":\"\\ud800\",\"agentId\":\"\\ud800\",\"key\":\"\\ud800\",\"permissions\":[\"\\ud800\"],\"password\":\"\\ud800\",\"code\":\"\\ud800\"}",
            "{\"name\":\"a\\u0000b\",\"model\":\"m\\u0000\",\"email\":\"a\\u0000@x.io\",\"role\":\"org:\\u0000\",\"token\":\"\\u0000\",\"agentId\":\"\\u0000\",\"organizationId\":\"\\u0000\",\"key\":\"org:\\u0000\",\"password\":\"\\u0000\",\"code\":\"\\u0000\"}",
            "{\"unknownField\":\"x\"}",
            "{\"email\":\"hostile@example.com\",\"code\":\"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\"}",
            "{\"email\":\"hostile@example.com\",\"code\":\"１２３４５６\"}",
            "{\"token\":\"" + "t".repeat(101) + "\"}",
            "\u0000\b\u0000\u0000" /* found by Jazzer: Jackson reads it as UTF-32 and fails with an I/O error */);

    /** Who calls {@code path}: the backend API takes only a secret key; everything else the admin's session. */
    static Api clientFor(String path) {
        return BackendApiKeyRoutes.isBackendPath(path) ? backend : admin;
    }

    /** The media type of an error answer on {@code path}: Clerk's shape under /v1, problem+json elsewhere. */
    static String errorTypeFor(String path) {
        return BackendApiKeyRoutes.isBackendPath(path) ? "application/json" : "application/problem+json";
    }

    /** How an answer on {@code path} names an invalid field. */
    static String namesField(String path, String field) {
        return BackendApiKeyRoutes.isBackendPath(path) ? "\"param_name\":\"" + field + "\"" : "\"field\":\"" + field + "\"";
    }

    /** The routes that take a JSON body, straight from the router. */
    static List<Route> jsonRoutes() {
        List<Route> result = new ArrayList<>();
        for (Route route : server.app.router().routes()) {
            boolean writes = Set.of("POST", "PUT", "PATCH").contains(route.method())
                    || route.method().equals("DELETE") && route.pattern().equals("/api/agents");
            // sign-out takes no body: it would end the session under test
            boolean api = route.pattern().startsWith("/api/") || BackendApiKeyRoutes.isBackendPath(route.pattern());
            // forward-auth reads no body, whatever the method (Envoy asks with the request's own)
            boolean bodiless = route.pattern().equals("/api/auth/sign-out") || route.pattern().equals(ForwardAuthRoutes.PATH);
            if (api && writes && !bodiless) result.add(route);
        }
        assertTrue(result.size() >= 12, "found " + result.size());
        return result;
    }

    /** A path of {@code pattern} naming objects that exist, so that a hostile field is read, not a 404 first. */
    static String concrete(String pattern) {
        return pattern.replace("/v1/users/{id}", "/v1/users/" + NO_PASSKEY).replace("/v1/sessions/{id}", "/v1/sessions/" + NO_PASSKEY)
                .replace("/api/api-keys/{id}", "/api/api-keys/" + apiKeyId)
                .replace("/api/webhooks/endpoints/{id}", "/api/webhooks/endpoints/" + webhookEndpointId)
                .replace("/settings/webhooks/{id}", "/settings/webhooks/" + webhookEndpointId)
                .replace("/v1/webhooks/endpoints/{id}", "/v1/webhooks/endpoints/" + instanceWebhookEndpointId)
                .replace("{messageId}", "msg_" + "0".repeat(32))
                .replace("/api/account/passkeys/{id}", "/api/account/passkeys/" + NO_PASSKEY)
                .replace("/api_keys/{id}", "/api_keys/" + apiKeyId)
                .replace("/v1/organizations/{id}", "/v1/organizations/" + organizationId).replace("{id}", agentId)
                .replace("{userId}", adminUserId).replace("{user_id}", adminUserId).replace("{key}", "org:custom");
    }

    @Test
    void every_hostile_body_on_every_json_route_is_a_4xx_problem_and_changes_nothing() throws Exception {
        Map<String, String> before = DatabaseSnapshot.take(server.database);
        List<String> failures = new ArrayList<>();
        for (Route route : jsonRoutes()) {
            for (String hostile : BODIES) {
                Api.Response response = clientFor(route.pattern()).send(route.method(), concrete(route.pattern()), hostile);
                if (response.status() < 400 || response.status() >= 500
                        || !errorTypeFor(route.pattern()).equals(response.header("Content-Type"))) {
                    failures.add(route.method() + " " + route.pattern() + " <- " + abbreviate(hostile) + ": " + abbreviate(response.toString()));
                }
                if (revealsInternals(response.raw())) {
                    failures.add(route.method() + " " + route.pattern() + " <- " + abbreviate(hostile) + ": internals in " + abbreviate(response.raw()));
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " bad answers:\n" + String.join("\n", failures));
        assertEquals(before, DatabaseSnapshot.take(server.database));
    }

    /**
     * A user whose email is not verified gets a 4xx problem for every hostile body on the routes that need a verified
     * email, and 403 email-not-verified for every well-formed one, whatever it names: nothing is created or probed.
     */
    @Test
    void an_unverified_user_is_refused_on_the_routes_that_need_a_verified_email_whatever_the_body() throws Exception {
        Api unverified = server.signUpUnverified("hostile-unverified-" + UUID.randomUUID() + "@example.com");
        assertEquals(201, unverified.post("/api/organizations", body("name", "Unverified")).status());
        Map<String, String> before = DatabaseSnapshot.take(server.database);
        // for each route, bodies of its own shape (any other field is refused before the use case runs)
        Map<String, List<String>> wellFormed = Map.of(
                "POST /api/invitations/accept", List.of("{\"token\":\"no-such-token\"}", "{\"token\":\"' OR 1=1 --\"}"),
                "POST /api/api-keys", List.of("{\"name\":\"k\"}", "{\"name\":\"<script>\",\"scopes\":[\"org:agents:read\"]}"),
                // another organization's key: refused as unverified before anything is looked up
                "PATCH /api/api-keys/{id}", List.of("{\"name\":\"k\"}", "{\"scopes\":[\"org:agents:read\"]}"),
                "POST /api/api-keys/{id}/rotate", List.of("{}", "{\"gracePeriodSeconds\":60}"));
        assertEquals(VerifiedEmailRoutes.ROUTES, wellFormed.keySet(), "a body for each route that needs a verified email");
        List<String> failures = new ArrayList<>();
        for (String route : VerifiedEmailRoutes.ROUTES) {
            String method = route.substring(0, route.indexOf(' ')), path = concrete(route.substring(route.indexOf(' ') + 1));
            for (String hostile : BODIES) {
                Api.Response response = unverified.send(method, path, hostile);
                if (response.status() < 400 || response.status() >= 500 || revealsInternals(response.raw())) {
                    failures.add(route + " <- " + abbreviate(hostile) + ": " + abbreviate(response.toString()));
                }
            }
            for (String body : wellFormed.get(route)) {
                Api.Response response = unverified.send(method, path, body);
                if (response.status() != 403 || !VerifiedEmailRoutes.PROBLEM_TYPE.equals(response.text("type"))) {
                    failures.add(route + " <- " + body + ": " + abbreviate(response.toString()));
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " bad answers:\n" + String.join("\n", failures));
        assertEquals(before, DatabaseSnapshot.take(server.database));
    }

    @Test
    void ten_megabytes_are_refused_with_413_and_wrong_content_types_with_415() throws Exception {
        String origin = server.origin();
        for (Route route : jsonRoutes()) {
            String[] credentials = credentialHeader(route.pattern()).split(": ", 2);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + concrete(route.pattern())))
                    .timeout(Duration.ofSeconds(30)).header(credentials[0], credentials[1])
                    .header("Origin", origin);
            assertEquals("HTTP/1.1 413", declaredTenMegabytes(route));
            for (String type : new String[]{"text/plain", "application/x-www-form-urlencoded", "application/xml"}) {
                var wrongType = raw.send(request.copy().header("Content-Type", type)
                        .method(route.method(), HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
                OpenApiResponseValidator.SERVED.assertValid(route.method(), concrete(route.pattern()), wrongType.statusCode(),
                        wrongType.headers().map(), wrongType.body());
                assertTrue(wrongType.statusCode() == 415 || wrongType.statusCode() == 403 && route.pattern().contains("sign"),
                        route.method() + " " + route.pattern() + " " + type + " -> " + wrongType.statusCode());
            }
        }
    }

    @Test
    void metacharacters_and_unusual_unicode_are_stored_verbatim() {
        for (String name : new String[]{"Robert'); DROP TABLE agents;--", "<script>alert(1)</script>", "\u202eevil\u202c",
                "zero\u200bwidth", "emoji \uD83D\uDE80", "日本語", "%_\\"}) {
            var created = admin.post("/api/agents", body("name", name, "model", "m"));
            assertEquals(201, created.status(), name);
            assertEquals(name, admin.get("/api/agents/" + created.text("id")).text("name"));
        }
    }

    // ---- generated from the OpenAPI document: every field of every body, every query parameter ----------------

    /** The served document: the router test keeps it equal to the routes, so a new route is covered here too. */
    static JsonNode document() {
        Api.Response response = server.anonymous().get("/openapi.json");
        assertEquals(200, response.status());
        return response.body();
    }

    static JsonNode resolve(JsonNode doc, JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        if (ref == null) return schema;
        JsonNode target = doc;
        for (String part : ref.asText().substring(2).split("/")) target = target.get(part);
        return resolve(doc, target);
    }

    /** The schema's type; of an OpenAPI 3.1 list such as ["string", "null"], the one that is not "null". */
    static String typeOf(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (!type.isArray()) return type.asText();
        for (JsonNode t : type) if (!t.asText().equals("null")) return t.asText();
        return "null";
    }

    static final List<String> PATTERN_CANDIDATES = List.of("hostile-base", "org:hostile_base");

    /** A value the schema accepts, so that the one hostile field of a case is what the server has to refuse. */
    static JsonNode plausible(JsonNode doc, JsonNode schema, String where) {
        schema = resolve(doc, schema);
        if (schema.has("enum")) return schema.get("enum").get(0);
        if (schema.has("examples")) return schema.get("examples").get(0);
        return switch (typeOf(schema)) {
            case "string" -> {
                String format = schema.path("format").asText();
                if (format.equals("email")) yield TextNode.valueOf("hostile-base@example.com");
                if (format.equals("uuid")) yield TextNode.valueOf(UUID.randomUUID().toString());
                if (schema.has("pattern")) {
                    Pattern pattern = Pattern.compile(schema.get("pattern").asText());
                    yield TextNode.valueOf(PATTERN_CANDIDATES.stream().filter(c -> pattern.matcher(c).find()).findFirst()
                            .orElseThrow(() -> new AssertionError(where + ": add a value matching " + pattern + " to PATTERN_CANDIDATES")));
                }
                yield TextNode.valueOf("a plausible value");
            }
            case "integer", "number" -> IntNode.valueOf(Math.min(Math.max(schema.path("minimum").asInt(60), 60),
                    schema.path("maximum").asInt(Integer.MAX_VALUE)));
            case "boolean" -> BooleanNode.TRUE;
            case "array" -> mapper.createArrayNode().add(plausible(doc, schema.get("items"), where + "[]"));
            case "object" -> mapper.createObjectNode(); // a free-form object (a passkey's answer)
            default -> throw new AssertionError(where + ": no plausible value for schema " + schema);
        };
    }

    static final String HUGE = "x".repeat(100_000);

    /** What a hostile client puts in a field of this schema: NUL, null elements, a huge string, every wrong type. */
    static List<JsonNode> hostile(JsonNode doc, JsonNode schema) {
        schema = resolve(doc, schema);
        var json = mapper.getNodeFactory();
        List<JsonNode> values = new ArrayList<>();
        switch (typeOf(schema)) {
            case "string" -> {
                values.add(json.textNode("a\u0000b"));
                values.add(json.textNode("\u0000"));
                values.add(json.textNode(HUGE));
                values.addAll(List.of(json.numberNode(1), json.booleanNode(true), json.arrayNode().add("x"), json.objectNode()));
            }
            case "array" -> {
                JsonNode item = plausible(doc, schema.get("items"), "item");
                values.add(json.arrayNode().addNull());
                values.add(json.arrayNode().add(item).addNull());
                for (JsonNode bad : hostile(doc, schema.get("items"))) values.add(json.arrayNode().add(bad));
                values.addAll(List.of(json.textNode("x"), json.numberNode(1), json.objectNode()));
            }
            case "integer", "number" -> values.addAll(List.of(json.textNode("60"), json.textNode("\u0000"), json.textNode(""), json.textNode(" "), json.numberNode(1.5),
                    json.booleanNode(true), json.arrayNode().add(1), json.objectNode(), json.numberNode(new BigDecimal("1e400")),
                    json.numberNode(new BigDecimal("99999999999999999999999999999"))));
            case "boolean" -> values.addAll(List.of(json.textNode("true"), json.numberNode(1), json.textNode("\u0000"), json.textNode("")));
            case "object" -> values.addAll(List.of(json.textNode("x"), json.numberNode(1), json.booleanNode(true),
                    json.arrayNode().add("x"), json.objectNode().put("id", "\u0000"), json.objectNode().put("id", HUGE),
                    json.objectNode().set("response", json.objectNode().put("clientDataJSON", "a\u0000b"))));
            default -> throw new AssertionError("no hostile values for schema " + schema);
        }
        return values;
    }

    @Test
    void every_field_of_every_documented_body_refuses_nul_null_elements_huge_strings_and_wrong_types() throws Exception {
        JsonNode doc = document();
        Map<String, String> before = DatabaseSnapshot.take(server.database);
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (BodyField field : documentedBodyFields(doc)) {
            for (JsonNode value : hostile(doc, field.schema())) {
                Api.Response response = field.send(value);
                cases++;
                if (response.status() < 400 || response.status() >= 500
                        || !errorTypeFor(field.path()).equals(response.header("Content-Type"))
                        || revealsInternals(response.raw())) {
                    failures.add(field + "=" + abbreviate(value.toString()) + ": " + abbreviate(response.toString()));
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " bad answers:\n" + String.join("\n", failures));
        assertTrue(cases >= 200, "generated only " + cases + " cases");
        assertEquals(before, DatabaseSnapshot.take(server.database));
    }

    /** One property of one documented request body, sent in an otherwise plausible body. */
    record BodyField(String method, String path, ObjectNode plausibleBody, String name, JsonNode schema) {
        Api.Response send(JsonNode value) throws Exception {
            ObjectNode body = plausibleBody.deepCopy();
            body.set(name, value);
            return clientFor(path).send(method, concrete(path), mapper.writeValueAsString(body));
        }

        @Override
        public String toString() {
            return method + " " + path + " " + name;
        }
    }

    /** Every property of every JSON request body the served document describes. */
    static List<BodyField> documentedBodyFields(JsonNode doc) {
        List<BodyField> fields = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            JsonNode schema = operation.getValue().path("requestBody").path("content").path("application/json").path("schema");
            if (schema.isMissingNode()) return;
            String method = operation.getKey().toUpperCase(Locale.ROOT);
            JsonNode properties = resolve(doc, schema).path("properties");
            ObjectNode plausibleBody = mapper.createObjectNode();
            properties.fields().forEachRemaining(p ->
                    plausibleBody.set(p.getKey(), plausible(doc, p.getValue(), method + " " + path.getKey() + " " + p.getKey())));
            properties.fields().forEachRemaining(p ->
                    fields.add(new BodyField(method, path.getKey(), plausibleBody, p.getKey(), p.getValue())));
        }));
        return fields;
    }

    /** Larger than any error answer needs to be: at most 20 field errors of at most 700 characters each, and less. */
    static final int SMALL_ANSWER = 4_096;

    /**
     * Every list in every documented body states its {@code maxItems}, and the server holds to it: one element more
     * is a 422 naming the field; thousands of distinct unknown elements, or 10,000 plausible ones (more than the
     * JSON token limit), are a 4xx with a small answer, whatever each element is; nothing changes.
     */
    @Test
    void every_list_of_every_documented_body_refuses_more_elements_than_it_documents_quickly_and_briefly() throws Exception {
        JsonNode doc = document();
        Map<String, String> before = DatabaseSnapshot.take(server.database);
        List<String> failures = new ArrayList<>();
        int lists = 0;
        for (BodyField field : documentedBodyFields(doc)) {
            JsonNode list = resolve(doc, field.schema());
            if (!typeOf(list).equals("array")) continue;
            lists++;
            if (!list.has("maxItems")) {
                failures.add(field + ": the document states no maxItems");
                continue;
            }
            int max = list.get("maxItems").asInt();
            JsonNode item = plausible(doc, list.get("items"), field + "[]");
            var oneTooMany = mapper.createArrayNode();
            for (int i = 0; i <= max; i++) oneTooMany.add(item);
            var distinctUnknown = mapper.createArrayNode();
            for (int i = 0; i < 5_000; i++) distinctUnknown.add(item.isTextual() ? TextNode.valueOf("unknown-" + i) : item);
            var tenThousand = mapper.createArrayNode();
            for (int i = 0; i < 10_000; i++) tenThousand.add(item);
            for (var value : List.of(oneTooMany, distinctUnknown, tenThousand)) {
                String label = field + " with " + value.size() + " elements";
                Api.Response response = field.send(value);
                if (response.status() < 400 || response.status() >= 500
                        || !errorTypeFor(field.path()).equals(response.header("Content-Type"))) {
                    failures.add(label + ": " + abbreviate(response.toString()));
                } else if (response.raw().length() > SMALL_ANSWER) {
                    failures.add(label + ": an answer of " + response.raw().length() + " characters");
                }
                if (value == oneTooMany && (response.status() != 422
                        || !response.raw().contains(namesField(field.path(), field.name())))) {
                    failures.add(label + ": want 422 naming " + field.name() + ", got " + abbreviate(response.toString()));
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " bad answers:\n" + String.join("\n", failures));
        assertTrue(lists >= 3, "found only " + lists + " lists in request bodies");
        assertEquals(before, DatabaseSnapshot.take(server.database));
    }

    @Test
    void every_documented_query_parameter_refuses_nul_and_huge_values() throws Exception {
        JsonNode doc = document();
        Map<String, String> before = DatabaseSnapshot.take(server.database);
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            List<JsonNode> parameters = new ArrayList<>();
            path.getValue().path("parameters").forEach(parameters::add);
            path.getValue().path("get").path("parameters").forEach(parameters::add);
            if (path.getValue().path("get").isMissingNode()) continue;
            for (JsonNode parameter : parameters) {
                parameter = resolve(doc, parameter);
                if (!parameter.path("in").asText().equals("query")) continue;
                for (String value : new String[]{"%00", "a%00b", "x".repeat(5000)}) {
                    String target = concrete(path.getKey()) + "?" + parameter.get("name").asText() + "=" + value;
                    Api.Response response = clientFor(target).get(target);
                    cases++;
                    if (response.status() < 400 || response.status() >= 500 || revealsInternals(response.raw())) {
                        failures.add(abbreviate(target) + ": " + abbreviate(response.toString()));
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " bad answers:\n" + String.join("\n", failures));
        assertTrue(cases >= 20, "generated only " + cases + " cases");
        assertEquals(before, DatabaseSnapshot.take(server.database));
    }

    /**
     * Every GET route, API and dashboard, with a NUL in its query: a handler that reads any parameter refuses the
     * whole query (4xx); one that reads none may answer; none answers 5xx.
     */
    @Test
    void a_nul_in_the_query_of_any_page_or_endpoint_is_never_a_5xx() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Route route : server.app.router().routes()) {
            if (!route.method().equals("GET") || route.pattern().startsWith("/static/")) continue;
            for (String query : new String[]{"query=%00", "notice=a%00&next=%00&page=%00&status=%00&token=%00&pageSize=%00", "cursor=%00"}) {
                String target = concrete(route.pattern()) + "?" + query;
                HttpResponse<String> response = asAdmin(target);
                // A script or stylesheet is a file (e.g. Swagger UI's, which names exceptions); only answers are checked.
                boolean file = response.headers().firstValue("Content-Type")
                        .filter(type -> type.startsWith("text/javascript") || type.startsWith("text/css")).isPresent();
                if (response.statusCode() >= 500 || !file && revealsInternals(response.body())) {
                    failures.add(target + ": " + response.statusCode() + " " + abbreviate(response.body()));
                }
            }
        }
        HttpResponse<String> search = asAdmin("/settings/api-keys?query=a%00b");
        assertTrue(search.statusCode() >= 400 && search.statusCode() < 500, "dashboard search: " + search.statusCode());
        // the audit log's filters: a NUL, a huge value, SQL, an actor that is no actor: the field is marked, no 500
        for (String filter : List.of("action=a%00b", "actor=user%3A%00", "action=" + "a.b".repeat(20_000),
                "action=x%27%20OR%201%3D1--", "actor=api_key%3Anot-an-id", "actor=admin")) {
            HttpResponse<String> audit = asAdmin("/settings/audit?" + filter);
            assertTrue(audit.statusCode() >= 400 && audit.statusCode() < 500, "audit filter " + abbreviate(filter)
                    + ": " + audit.statusCode());
            assertFalse(revealsInternals(audit.body()), abbreviate(filter));
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * Every dashboard form post with its valid token and a NUL in a field: the form is refused as a whole where it
     * is parsed (4xx), whatever the route reads, and nothing changes.
     */
    @Test
    void every_form_post_with_a_nul_in_a_field_is_refused_and_changes_nothing() throws Exception {
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(asAdmin("/settings").body());
        assertTrue(token.find(), "no form token on /settings");
        Map<String, String> before = DatabaseSnapshot.take(server.database);
        List<String> failures = new ArrayList<>();
        int forms = 0;
        for (Route route : server.app.router().routes()) {
            // forward-auth reads no form: it answers the credential alone, and changes nothing
            if (!route.method().equals("POST") || route.pattern().startsWith("/api/") || route.pattern().equals(ForwardAuthRoutes.PATH)) continue;
            String body = "_csrf=" + java.net.URLEncoder.encode(token.group(1), StandardCharsets.UTF_8)
                    + "&name=a%00b&email=x%00%40example.com&password=%00&role=org%3Aadmin&permissions=%00";
            HttpResponse<String> response = raw.send(HttpRequest.newBuilder(URI.create(server.origin() + concrete(route.pattern())))
                    .timeout(Duration.ofSeconds(30)).header("Cookie", "orgkeys_session=" + admin.sessionCookie().orElseThrow())
                    .header("Origin", server.origin()).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            forms++;
            if (response.statusCode() < 400 || response.statusCode() >= 500 || revealsInternals(response.body())) {
                failures.add("POST " + route.pattern() + ": " + response.statusCode() + " " + abbreviate(response.body()));
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(forms >= 10, "found " + forms + " form routes");
        assertEquals(before, DatabaseSnapshot.take(server.database));
    }

    /** A GET with the admin's session cookie, answered in whatever form (pages are HTML). */
    static HttpResponse<String> asAdmin(String path) throws Exception {
        return raw.send(HttpRequest.newBuilder(URI.create(server.origin() + path)).timeout(Duration.ofSeconds(30))
                .header("Cookie", "orgkeys_session=" + admin.sessionCookie().orElseThrow()).header("Accept", "text/html")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a request over a raw socket, so that header values the JDK client refuses (NUL, CR) can be sent. */
    static String rawExchange(String method, String path, String headers, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.app.port())) {
            socket.setSoTimeout(30_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.app.port() + "\r\nConnection: close\r\n"
                    + "Origin: " + server.origin() + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length + "\r\n"
                    + headers + "\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void control_characters_in_the_user_agent_are_never_stored_nor_a_5xx() throws Exception {
        String userAgent = "Evil\u0000Agent\u0001/1.0\u007f\u0085 " + "y".repeat(1000);
        String signUp = rawExchange("POST", "/api/auth/sign-up", "User-Agent: " + userAgent + "\r\n",
                "{\"email\":\"agent-nul@example.com\",\"password\":\"correct horse battery agent\",\"name\":\"A\"}");
        String signIn = rawExchange("POST", "/api/auth/sign-in", "User-Agent: " + userAgent + "\r\n",
                "{\"email\":\"agent-nul@example.com\",\"password\":\"correct horse battery agent\"}");
        for (String answer : List.of(signUp, signIn)) {
            assertTrue(answer.startsWith("HTTP/1.1 2") || answer.startsWith("HTTP/1.1 4"), abbreviate(answer));
        }
        assertTrue(signIn.startsWith("HTTP/1.1 200"), abbreviate(signIn));
        Matcher cookie = Pattern.compile("orgkeys_session=([^;\\s]+)").matcher(signIn);
        assertTrue(cookie.find(), abbreviate(signIn));
        Api.Response sessions = server.anonymous().withSessionCookie(cookie.group(1)).get("/api/sessions");
        assertEquals(200, sessions.status(), sessions.toString());
        assertEquals(2, sessions.body().get("data").size(), sessions.toString());
        for (JsonNode session : sessions.body().get("data")) {
            String stored = session.get("userAgent").asText();
            assertTrue(stored.startsWith("EvilAgent/1.0 y"), stored);
            assertTrue(stored.chars().noneMatch(Character::isISOControl), stored);
            assertTrue(stored.length() <= 300, "capped: " + stored.length());
        }
    }

    @Test
    void path_tricks_get_4xx_problems() throws Exception {
        for (String path : new String[]{"/api/agents/..%2F..%2Fetc%2Fpasswd", "/api/agents/%2e%2e", "/api/agents/a%00b",
                "/api/../api/agents", "/api//agents", "/api/agents/" + "x".repeat(8000),
                "/api/api-keys/%20", "/api/members/not-a-uuid"}) {
            Api.Response response = admin.get(path);
            assertTrue(response.status() >= 400 && response.status() < 500, path + " -> " + response);
            assertFalse(revealsInternals(response.raw()), path + " -> " + response.raw());
        }
    }

    @Test
    void oversized_and_malformed_headers_do_not_break_the_server() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.app.port())) {
            socket.setSoTimeout(10_000);
            String request = "GET /api/whoami HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(2_000_000) + "\r\n\r\n";
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                byte[] answer = socket.getInputStream().readNBytes(12);
                String status = new String(answer, StandardCharsets.US_ASCII);
                assertTrue(status.isEmpty() || status.startsWith("HTTP/1.1 4"), status);
            } catch (IOException closedByServer) {
                // refusing by closing the connection is fine too
            }
        }
        try (Socket socket = new Socket("127.0.0.1", server.app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/agents/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Authorization: Basic Zm9vOmJhcg==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertTrue(status.startsWith("HTTP/1.1 4"), status);
        }
        assertEquals(200, server.anonymous().get("/healthz").status(), "still serving");
    }

    /**
     * Announces a 10 MB body but sends only its first 64 KB, then reads the answer: the server must refuse on
     * the declared length, before reading the rest (a client sending it all would see the connection reset).
     */
    /** The header that authenticates a request to {@code path}: the secret key on the backend API, else the admin's session. */
    static String credentialHeader(String path) {
        return BackendApiKeyRoutes.isBackendPath(path) ? "Authorization: Bearer " + backend.bearer()
                : "Cookie: orgkeys_session=" + admin.sessionCookie().orElseThrow();
    }

    static String declaredTenMegabytes(Route route) throws IOException {
        return Api.statusLineOfDeclaredBody(URI.create("http://127.0.0.1:" + server.app.port() + concrete(route.pattern())),
                route.method(), 10 * 1024 * 1024, "{\"name\":\"" + "x".repeat(64 * 1024), "Content-Type: application/json",
                credentialHeader(route.pattern()), "Origin: " + server.origin());
    }

    /**
     * The gateway's and the resource server's endpoints: hostile scopes, credentials and forms are refused (4xx) or
     * inactive, never a 5xx, never reflected into a header, and a caller's own X-Orgkeys-* headers never come back.
     */
    @Test
    void hostile_scopes_tokens_and_forms_on_forward_auth_and_introspection_are_refused_and_change_nothing() throws Exception {
        Map<String, String> before = DatabaseSnapshot.take(server.database);
        List<String> failures = new ArrayList<>();
        List<String> scopes = List.of("%00", "org:agents:read%0D%0AX-Orgkeys-Organization-Id:%20evil",
                "org:agents:read%22%2C%20error%3D%22none", "x".repeat(10_000), "%25ZZ%00", "org:agents:read&scope=" + "%20".repeat(500) + "org:nope",
                "scope=" + "org:agents:read&scope=".repeat(40));
        for (String scope : scopes) {
            Api.Response response = admin.get("/v1/forward-auth?scope=" + scope);
            if (response.status() < 400 || response.status() >= 500 || revealsInternals(response.raw())
                    || String.valueOf(response.headers()).contains("evil")) {
                failures.add("forward-auth scope " + abbreviate(scope) + ": " + abbreviate(response.toString()));
            }
        }
        // raw, so that the JDK client's own checks do not stop a NUL or a CR in the credential
        for (String token : List.of("ok_\u0000" + "A".repeat(48), "ok_" + "A".repeat(60_000), "\u0000", "ok_a\rX-Orgkeys-Subject: evil",
                "' OR 1=1 --", backend.bearer())) {
            String answer = rawExchange("GET", "/v1/forward-auth", "Authorization: Bearer " + token
                    + "\r\nX-Orgkeys-Organization-Id: evil\r\nX-Orgkeys-Subject: evil\r\n", "");
            if (!(answer.startsWith("HTTP/1.1 401") || answer.startsWith("HTTP/1.1 400")) || answer.contains("evil")
                    || revealsInternals(answer)) {
                failures.add("forward-auth token " + abbreviate(token) + ": " + abbreviate(answer));
            }
        }
        for (String hostile : BODIES) {
            HttpResponse<String> response = raw.send(HttpRequest.newBuilder(URI.create(server.origin() + "/oauth/introspect"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + backend.bearer())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + java.net.URLEncoder.encode(hostile, StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            OpenApiResponseValidator.SERVED.assertValid("POST", "/oauth/introspect", response.statusCode(),
                    response.headers().map(), response.body());
            boolean inactive = response.statusCode() == 200 && response.body().equals("{\"active\":false}");
            if (!inactive || revealsInternals(response.body())) {
                failures.add("introspect " + abbreviate(hostile) + ": " + response.statusCode() + " " + abbreviate(response.body()));
            }
            HttpResponse<String> asForm = raw.send(HttpRequest.newBuilder(URI.create(server.origin() + "/oauth/introspect"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + backend.bearer())
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(hostile))
                    .build(), HttpResponse.BodyHandlers.ofString());
            boolean refusedOrInactive = asForm.statusCode() == 400 || asForm.statusCode() == 200
                    && asForm.body().equals("{\"active\":false}");
            if (!refusedOrInactive || revealsInternals(asForm.body())) {
                failures.add("introspect form " + abbreviate(hostile) + ": " + asForm.statusCode() + " " + abbreviate(asForm.body()));
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " bad answers:\n" + String.join("\n", failures));
        assertEquals(before, DatabaseSnapshot.take(server.database));
    }

    /** A response body that names an exception or carries a stack frame tells a client how the server is built. */
    static boolean revealsInternals(String body) {
        return body != null && (body.contains("Exception") || body.contains("\tat ") || body.contains("\\tat ")
                || body.contains("at com.orgkeys.") || body.contains("at java.base/"));
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
