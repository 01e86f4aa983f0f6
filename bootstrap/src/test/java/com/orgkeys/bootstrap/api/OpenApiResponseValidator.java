package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import com.orgkeys.http.openapi.OpenApiRoutes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Checks one answer of the server against the OpenAPI document it serves: that the status is documented for
 * the operation, every documented header is there and valid, no significant header is sent undocumented, the
 * content type is a documented one and the body matches its JSON Schema (2020-12, the OpenAPI 3.1 dialect,
 * with format assertions on). A request the document does not know (a path in its scope that matches no
 * documented path, or a method it does not list) must be answered 404 or 405 as the document says, so a route
 * left out of the document fails too. Paths outside the scope the document declares (the HTML dashboard) are
 * not checked.
 */
public final class OpenApiResponseValidator {
    private static final String DOCUMENT_ID = "https://orgkeys.invalid/openapi.json";
    private static final ObjectMapper json = new ObjectMapper();
    /** Formats (date-time, uuid, email) are checked, not only annotated. */
    private static final Consumer<ExecutionContext> FORMATS =
            context -> context.executionConfig(config -> config.formatAssertionsEnabled(true));
    /** The document as the server serves it (the same class-path resource). */
    public static final OpenApiResponseValidator SERVED = new OpenApiResponseValidator(readServedDocument());

    /**
     * Headers the server sets on purpose, per answer: present but undocumented on the matched response is a
     * mismatch. Generic headers (Date, Content-Length, the fixed security headers) are not listed.
     */
    static final Set<String> SIGNIFICANT_HEADERS = Set.of("x-request-id", "location", "www-authenticate",
            "retry-after", "set-cookie", "allow", "accept-post");
    /** JSON lines (NDJSON): a body of JSON values, one per line, each checked against the media type's schema. */
    static final String JSON_LINES = "application/x-ndjson";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final JsonNode document;
    private final List<String> scope;
    private final SchemaRegistry schemas;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    public OpenApiResponseValidator(String document) {
        try {
            this.document = json.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the OpenAPI document is not JSON", e);
        }
        List<String> covers = new ArrayList<>();
        this.document.path("x-orgkeys-covers").forEach(entry -> covers.add(entry.asText()));
        if (covers.isEmpty()) throw new IllegalArgumentException("the document does not say which paths it covers (x-orgkeys-covers)");
        this.scope = List.copyOf(covers);
        this.schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(DOCUMENT_ID, document)));
    }

    static String readServedDocument() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(OpenApiRoutes.RESOURCE)) {
            if (in == null) throw new IllegalStateException(OpenApiRoutes.RESOURCE + " missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the document claims {@code path}: an entry ending in '/' is a prefix, any other an exact path. */
    public boolean covers(String path) {
        for (String entry : scope) {
            if (entry.endsWith("/") ? path.startsWith(entry) : path.equals(entry)) return true;
        }
        return false;
    }

    /** Fails with every mismatch between this answer and the document. */
    public void assertValid(String method, String pathAndQuery, int status, Map<String, List<String>> headers, String body) {
        List<String> problems = validate(method, pathAndQuery, status, headers, body);
        if (!problems.isEmpty()) {
            throw new AssertionError("The answer disagrees with the OpenAPI document: " + method + " " + pathAndQuery
                    + " -> " + status + "\n  " + String.join("\n  ", problems) + "\n  body: " + abbreviate(body));
        }
    }

    /** Every mismatch between this answer and the document; empty when it conforms or is out of scope. */
    public List<String> validate(String method, String pathAndQuery, int status, Map<String, List<String>> headers, String body) {
        String path = pathAndQuery.split("\\?", 2)[0];
        List<String> problems = new ArrayList<>();
        if (!covers(path)) return problems;
        Map<String, List<String>> lowerCased = new ConcurrentHashMap<>();
        headers.forEach((name, values) -> {
            if (name != null) lowerCased.merge(name.toLowerCase(Locale.ROOT), values, (a, b) -> {
                List<String> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
        });
        String operationMethod = method.toLowerCase(Locale.ROOT);
        List<String> templates = matchingTemplates(path);
        String template = templates.stream()
                .filter(t -> document.get("paths").get(t).has(operationMethod))
                .findFirst().orElse(null);
        String responsePointer;
        if (template != null) {
            String operationPointer = "/paths/" + escape(template) + "/" + operationMethod;
            responsePointer = responseFor(operationPointer, status);
            if (responsePointer == null) {
                problems.add("status " + status + " is not documented for " + method + " " + template
                        + " (and it has no default response)");
                return problems;
            }
        } else if (templates.isEmpty()) {
            if (status != 404) {
                problems.add("no documented path matches " + path + ", yet the server answered " + status
                        + ": an API route missing from the document?");
                return problems;
            }
            responsePointer = "/components/responses/NotFound";
        } else {
            Set<String> allowed = new TreeSet<>();
            for (String t : templates) {
                document.get("paths").get(t).fieldNames().forEachRemaining(m -> {
                    if (METHODS.contains(m)) allowed.add(m.toUpperCase(Locale.ROOT));
                });
            }
            if (status != 405) {
                problems.add(method + " is not documented for " + templates + ", yet the server answered " + status
                        + ": an API route missing from the document?");
                return problems;
            }
            responsePointer = "/components/responses/MethodNotAllowed";
            Set<String> sent = new TreeSet<>();
            for (String value : lowerCased.getOrDefault("allow", List.of())) {
                for (String m : value.split(",")) if (!m.isBlank()) sent.add(m.strip());
            }
            if (!sent.equals(allowed)) problems.add("Allow lists " + sent + " but the document has " + allowed);
        }
        responsePointer = resolve(responsePointer);
        checkHeaders(responsePointer, lowerCased, problems);
        checkContent(method, responsePointer, lowerCased, body, problems);
        return problems;
    }

    /** Documented path templates that match {@code path} as the router matches: '{name}' is one non-empty segment. */
    private List<String> matchingTemplates(String path) {
        List<String> actual = segments(path);
        List<String> result = new ArrayList<>();
        for (Iterator<String> it = document.get("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            List<String> wanted = segments(template);
            if (wanted.size() != actual.size()) continue;
            boolean matches = true;
            for (int i = 0; i < wanted.size() && matches; i++) {
                String w = wanted.get(i);
                matches = w.startsWith("{") && w.endsWith("}") ? !actual.get(i).isEmpty() : w.equals(actual.get(i));
            }
            if (matches) result.add(template);
        }
        // most literal first: /api/invitations/accept before /api/invitations/{id}
        result.sort((a, b) -> Long.compare(literals(b), literals(a)));
        return result;
    }

    private static long literals(String template) {
        return segments(template).stream().filter(s -> !s.startsWith("{")).count();
    }

    private static List<String> segments(String path) {
        if (path.equals("/")) return List.of();
        return List.of(path.substring(1).split("/", -1));
    }

    /** The response object for {@code status}: exact code, then its range (4XX), then default; null when none. */
    private String responseFor(String operationPointer, int status) {
        JsonNode responses = document.at(operationPointer + "/responses");
        for (String key : List.of(Integer.toString(status), (status / 100) + "XX", "default")) {
            if (responses.has(key)) return operationPointer + "/responses/" + escape(key);
        }
        return null;
    }

    /** Follows local $refs to the pointer of the object itself. */
    private String resolve(String pointer) {
        for (int hops = 0; hops < 10; hops++) {
            JsonNode node = document.at(pointer);
            if (node.isMissingNode()) throw new AssertionError("the document has nothing at #" + pointer);
            JsonNode ref = node.get("$ref");
            if (ref == null) return pointer;
            if (!ref.asText().startsWith("#/")) throw new AssertionError("only local $refs are supported: " + ref);
            pointer = ref.asText().substring(1);
        }
        throw new AssertionError("$ref loop at #" + pointer);
    }

    private void checkHeaders(String responsePointer, Map<String, List<String>> headers, List<String> problems) {
        JsonNode documented = document.at(responsePointer + "/headers");
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = documented.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            names.add(name.toLowerCase(Locale.ROOT));
            String headerPointer = resolve(responsePointer + "/headers/" + escape(name));
            JsonNode header = document.at(headerPointer);
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            if (values == null || values.isEmpty()) {
                if (header.path("required").asBoolean(false)) problems.add("header " + name + " is required but missing");
                continue;
            }
            if (header.has("schema")) {
                for (String value : values) {
                    for (Error error : schema(headerPointer + "/schema").validate(TextNode.valueOf(value), FORMATS)) {
                        problems.add("header " + name + ": " + value + ": " + error.getMessage());
                    }
                }
            }
        }
        for (String significant : SIGNIFICANT_HEADERS) {
            if (headers.containsKey(significant) && !names.contains(significant)) {
                problems.add("header " + significant + " was sent but is not documented for this response (#"
                        + responsePointer + ")");
            }
        }
    }

    private void checkContent(String method, String responsePointer, Map<String, List<String>> headers, String body,
                              List<String> problems) {
        JsonNode content = document.at(responsePointer + "/content");
        boolean hasBody = body != null && !body.isEmpty();
        String contentType = headers.getOrDefault("content-type", List.of("")).getFirst();
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!hasBody) {
            boolean noLines = mediaType.equals(JSON_LINES) && content.has(JSON_LINES); // zero lines is a valid body
            if (!content.isMissingNode() && content.size() > 0 && !method.equals("HEAD") && !noLines) {
                problems.add("the document promises a body (" + content.properties().stream().map(Map.Entry::getKey).toList()
                        + ") but there is none");
            }
            return;
        }
        if (content.isMissingNode() || content.isEmpty()) {
            problems.add("a body was sent but the document describes none for this response (#" + responsePointer + ")");
            return;
        }
        if (!content.has(mediaType)) {
            problems.add("Content-Type " + contentType + " is not one of the documented " + content.properties().stream()
                    .map(Map.Entry::getKey).toList());
            return;
        }
        JsonNode media = content.get(mediaType);
        if (!media.has("schema")) return;
        String schemaPointer = responsePointer + "/content/" + escape(mediaType) + "/schema";
        if (mediaType.equals(JSON_LINES)) {
            checkLines(body, schemaPointer, problems);
            return;
        }
        if (!(mediaType.equals("application/json") || mediaType.endsWith("+json"))) return;
        JsonNode instance;
        try {
            instance = json.readTree(body);
        } catch (JsonProcessingException e) {
            problems.add("the body is not JSON: " + e.getOriginalMessage());
            return;
        }
        for (Error error : schema(schemaPointer).validate(instance, FORMATS)) {
            problems.add("body " + error.getInstanceLocation() + ": " + error.getMessage());
        }
    }

    /** JSON lines: the schema describes one line; every line ends in a newline, none is empty. */
    private void checkLines(String body, String schemaPointer, List<String> problems) {
        if (!body.endsWith("\n")) problems.add("the JSON-lines body does not end with a newline");
        String[] lines = body.split("\n", -1);
        for (int i = 0; i < lines.length - 1 && problems.size() < 20; i++) {
            JsonNode instance;
            try {
                instance = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(lines[i]);
            } catch (JsonProcessingException e) {
                problems.add("line " + (i + 1) + " is not JSON: " + e.getOriginalMessage());
                continue;
            }
            if (instance == null || instance.isMissingNode()) {
                problems.add("line " + (i + 1) + " is empty");
                continue;
            }
            for (Error error : schema(schemaPointer).validate(instance, FORMATS)) {
                problems.add("line " + (i + 1) + " " + error.getInstanceLocation() + ": " + error.getMessage());
            }
        }
    }

    private Schema schema(String pointer) {
        return compiled.computeIfAbsent(pointer, p -> {
            Schema schema = schemas.getSchema(SchemaLocation.of(DOCUMENT_ID + "#" + fragment(p)));
            schema.initializeValidators();
            return schema;
        });
    }

    /** A JSON pointer token: '~' and '/' escaped (RFC 6901). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment: characters a fragment may not hold are percent-encoded. */
    private static String fragment(String pointer) {
        StringBuilder out = new StringBuilder();
        for (char c : pointer.toCharArray()) {
            if (Character.isLetterOrDigit(c) || "/~-._:@!$&'()*+,;=".indexOf(c) >= 0) out.append(c);
            else out.append('%').append(String.format("%02X", (int) c));
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        if (text == null) return "";
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }
}
