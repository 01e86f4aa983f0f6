package com.orgkeys.http.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** One request and its response: what handlers read from and write to, over the raw {@link HttpExchange}. */
public final class HttpCall {
    private final HttpExchange exchange;
    private final ObjectMapper json;
    private final long maxBodyBytes;
    private final String requestId;
    private final Map<String, String> pathParams;
    private final TrustedProxies proxies;
    private final Map<String, Object> attributes = new HashMap<>();
    private InetAddress clientAddress;
    private Map<String, List<String>> query;
    private Map<String, List<String>> form;
    private int status;
    private boolean aborted;

    HttpCall(HttpExchange exchange, ObjectMapper json, long maxBodyBytes, String requestId,
             Map<String, String> pathParams, TrustedProxies proxies) {
        this.exchange = exchange;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        this.requestId = requestId;
        this.pathParams = pathParams;
        this.proxies = proxies;
    }

    // ---- request ------------------------------------------------------------------------------------------

    public String method() {
        return exchange.getRequestMethod();
    }

    public String path() {
        return exchange.getRequestURI().getRawPath();
    }

    public String requestId() {
        return requestId;
    }

    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) throw new IllegalStateException("route has no path parameter " + name);
        return value;
    }

    public Optional<String> queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public Map<String, List<String>> queryParams() {
        if (query == null) query = parseQuery(exchange.getRequestURI().getRawQuery());
        return query;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    public Optional<String> cookie(String name) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
                    return Optional.of(unquote(pair.substring(eq + 1).strip()));
                }
            }
        }
        return Optional.empty();
    }

    /** RFC 6265: {@code cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )}; Java's CookieManager quotes. */
    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /**
     * Who sent the request: the direct peer, or the client a trusted proxy forwarded it for. The one place that
     * decides it: throttles, audit events and sessions all use this.
     */
    public InetAddress clientAddress() {
        if (clientAddress == null) {
            clientAddress = proxies.clientAddress(exchange.getRemoteAddress().getAddress(),
                    exchange.getRequestHeaders().get(proxies.header().fieldName()));
        }
        return clientAddress;
    }

    /** The value the authentication step stored for this request, if any. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> attribute(String name) {
        return Optional.ofNullable((T) attributes.get(name));
    }

    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    /** Reads the body as JSON into {@code type}, answering 415/413/400/422 for what a client got wrong. */
    public <T> T body(Class<T> type) {
        // application/json only, as documented: another +json type (merge-patch, JSON:API…) has other semantics.
        requireMediaType("application/json", "Send the body as JSON with 'Content-Type: application/json'");
        byte[] bytes = bodyBytes();
        if (bytes.length == 0) throw new HttpProblem(400, "Bad Request", "The request body is empty; send a JSON object.");
        try {
            T value = json.readValue(bytes, type);
            if (value == null) throw new HttpProblem(400, "Bad Request", "The request body must be a JSON object, not null.");
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new HttpProblem(422, "Unprocessable Content", "The request has invalid fields.",
                    Problems.field(pathOf(e), "unknown property; allowed: " + e.getKnownPropertyIds()
                            .stream().map(String::valueOf).sorted().collect(Collectors.joining(", "))), Map.of());
        } catch (MismatchedInputException e) {
            String field = pathOf(e);
            if (field.isEmpty()) {
                throw new HttpProblem(400, "Bad Request", "The request body must be a JSON object.");
            }
            String problem = switch (e) {
                case InvalidNullException n -> "must not be null";
                case Json.RefusedValueException r -> r.getOriginalMessage();
                default -> "has the wrong type";
            };
            throw new HttpProblem(422, "Unprocessable Content", "The request has invalid fields.",
                    Problems.field(field, problem), Map.of());
        } catch (StreamConstraintsException e) {
            throw overLimit(e);
        } catch (JsonMappingException e) {
            // a limit reached inside a list or an object comes wrapped, with the path to where it was
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof StreamConstraintsException limit) throw overLimit(limit);
            }
            // Thrown from a record constructor (domain validation) or another binding problem.
            if (e.getCause() instanceof RuntimeException cause
                    && cause instanceof com.orgkeys.domain.shared.DomainException) {
                throw cause;
            }
            throw new HttpProblem(400, "Bad Request", "The request body is not valid JSON for this endpoint.");
        } catch (JacksonException e) {
            throw new HttpProblem(400, "Bad Request", "The request body is not valid JSON: "
                    + e.getOriginalMessage().replaceAll("\\s+", " "));
        } catch (java.io.CharConversionException e) {
            throw new HttpProblem(400, "Bad Request", "The request body is not valid UTF-8 JSON.");
        } catch (IOException e) {
            throw new HttpProblem(400, "Bad Request", "The request body could not be read.");
        }
    }

    /** At most this many fields in a form body; more is refused rather than parsed. */
    public static final int MAX_FORM_FIELDS = 1000;

    /**
     * The body as an {@code application/x-www-form-urlencoded} form (415 otherwise), within the same size limit
     * as JSON bodies and at most {@link #MAX_FORM_FIELDS} fields; names map to their values in order.
     */
    public Map<String, List<String>> form() {
        if (form != null) return form;
        requireMediaType("application/x-www-form-urlencoded", "Send the form as 'application/x-www-form-urlencoded'");
        String raw = new String(bodyBytes(), StandardCharsets.UTF_8);
        if (raw.chars().filter(c -> c == '&').count() >= MAX_FORM_FIELDS) {
            throw new HttpProblem(413, "Content Too Large", "The form has more than " + MAX_FORM_FIELDS + " fields.");
        }
        form = parse(raw, "The form body is not correctly percent-encoded.");
        return form;
    }

    /** The first value of form field {@code name}, or empty. */
    public Optional<String> formParam(String name) {
        List<String> values = form().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Every value of form field {@code name} (checkboxes), possibly none. */
    public List<String> formParams(String name) {
        return form().getOrDefault(name, List.of());
    }

    /** True when the client sent a body (for endpoints whose body is optional). */
    public boolean hasBody() {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) return !length.strip().equals("0");
        return exchange.getRequestHeaders().containsKey("Transfer-Encoding");
    }

    /** 415, naming what to send ({@code advice}) and what came, unless the body's media type is {@code expected}. */
    private void requireMediaType(String expected, String advice) {
        String type = header("Content-Type").orElse("");
        String mediaType = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(expected)) {
            throw new HttpProblem(415, "Unsupported Media Type",
                    advice + (mediaType.isEmpty() ? "." : " (got '" + mediaType + "')."),
                    List.of(), Map.of("Accept-Post", expected));
        }
    }

    /** The raw body, at most {@code maxBodyBytes}; larger bodies are refused without reading them all. */
    public byte[] bodyBytes() {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > maxBodyBytes) throw tooLarge();
            } catch (NumberFormatException e) {
                throw new HttpProblem(400, "Bad Request", "Content-Length is not a number.");
            }
        }
        // Not closed here: read to its end, the stream lets Router.close() see that without an exception.
        try {
            byte[] body = exchange.getRequestBody().readNBytes((int) Math.min(maxBodyBytes + 1, Integer.MAX_VALUE - 8));
            if (body.length > maxBodyBytes) throw tooLarge();
            return body;
        } catch (IOException e) {
            throw new HttpProblem(400, "Bad Request", "The request body could not be read.");
        }
    }

    private HttpProblem tooLarge() {
        return new HttpProblem(413, "Content Too Large",
                "The request body is larger than the limit of " + maxBodyBytes + " bytes.");
    }

    /** A JSON body beyond the parser's limits (see {@link Json}): 413 for too many tokens, 400 for the others. */
    private static HttpProblem overLimit(StreamConstraintsException e) {
        if (String.valueOf(e.getOriginalMessage()).contains("getMaxTokenCount")) {
            return new HttpProblem(413, "Content Too Large", "The JSON body has more than " + Json.MAX_TOKENS
                    + " tokens (names, values and brackets); no request of this API needs that many.");
        }
        return new HttpProblem(400, "Bad Request", "The JSON is too deeply nested or has a too long value.");
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    // ---- response -----------------------------------------------------------------------------------------

    public void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    public void addHeader(String name, String value) {
        exchange.getResponseHeaders().add(name, value);
    }

    public Headers responseHeaders() {
        return exchange.getResponseHeaders();
    }

    public void json(int status, Object body) {
        try {
            send(status, "application/json", json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    public void problem(Problem problem) {
        try {
            send(problem.status(), Problem.MEDIA_TYPE, json.writeValueAsBytes(problem));
        } catch (IOException e) {
            throw new IllegalStateException("could not write problem", e);
        }
    }

    public void html(int status, byte[] utf8) {
        send(status, "text/html; charset=utf-8", utf8);
    }

    public void noContent() {
        send(204, null, null);
    }

    /** 303 See Other: the answer to a successful form post. */
    public void redirect(String location) {
        setHeader("Location", location);
        send(303, null, null);
    }

    public void send(int status, String contentType, byte[] body) {
        if (this.status != 0) throw new IllegalStateException("response already sent");
        this.status = status;
        try {
            if (contentType != null) setHeader("Content-Type", contentType);
            boolean hasBody = body != null && body.length > 0 && status != 204 && status != 304
                    && !method().equals("HEAD");
            exchange.sendResponseHeaders(status, hasBody ? body.length : -1);
            if (hasBody) {
                exchange.getResponseBody().write(body);
                // The answer leaves now, in parallel with other requests, not in Router's bounded close.
                exchange.getResponseBody().flush();
            }
        } catch (IOException e) {
            // the client went away; nothing more to do for this exchange
        }
    }

    /** The media type of {@link #jsonLines}: one JSON value per line. */
    public static final String JSON_LINES = "application/x-ndjson";

    /**
     * {@code status} with one JSON value per line, written as {@code items} are iterated (chunked, so memory stays
     * constant whatever their number). A failure once the answer has begun cannot become a problem+json: the
     * connection is then cut without the final chunk ({@link #aborted()}), so the client sees an error, never a
     * shorter file that looks complete.
     */
    public void jsonLines(int status, Iterable<?> items) {
        if (this.status != 0) throw new IllegalStateException("response already sent");
        Iterator<?> iterator = items.iterator();
        boolean any = iterator.hasNext(); // a failure of the first read is still an ordinary problem answer
        this.status = status;
        setHeader("Content-Type", JSON_LINES);
        boolean head = method().equals("HEAD");
        try {
            exchange.sendResponseHeaders(status, head ? -1 : 0);
            if (head) return;
            OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 64 * 1024);
            if (any) {
                do {
                    out.write(json.writeValueAsBytes(iterator.next()));
                    out.write('\n');
                } while (iterator.hasNext());
            }
            out.flush();
        } catch (IOException e) {
            aborted = true; // the client went away: nothing more to send
        } catch (RuntimeException e) {
            aborted = true;
            throw e;
        }
    }

    /** Whether the answer was cut short after it began ({@link #jsonLines}): the connection must close unfinished. */
    public boolean aborted() {
        return aborted;
    }

    public boolean responded() {
        return status != 0;
    }

    public int status() {
        return status;
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static Map<String, List<String>> parseQuery(String raw) {
        return parse(raw, "The query string is not correctly percent-encoded.");
    }

    private static Map<String, List<String>> parse(String raw, String malformed) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return result;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), malformed);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), malformed);
            if (key.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                // no text of this API may hold NUL (nor can PostgreSQL store it): refused for every parameter here
                throw new HttpProblem(422, "Unprocessable Content", "The request has invalid fields.",
                        Problems.field(key.replace("\0", "\\u0000"), "must not contain the NUL character (U+0000)"), Map.of());
            }
            result.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(value);
        }
        return result;
    }

    private static String decode(String s, String malformed) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, "Bad Request", malformed);
        }
    }
}
