package com.orgkeys.bootstrap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A client as a browser or program would be: keeps the session cookie it is given, sends this server's
 * Origin on unsafe requests (as browsers do), or an API key as Bearer. Every answer is checked against the
 * served OpenAPI document ({@link OpenApiResponseValidator}); a mismatch fails the test that sent it.
 */
public final class Api {
    static final ObjectMapper json = new ObjectMapper();
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final TestServer server;
    private String sessionCookie;
    private String bearer;
    private String origin;
    private String forwardedFor;

    Api(TestServer server) {
        this.server = server;
        this.origin = server.browserOrigin();
    }

    public record Response(int status, JsonNode body, String raw, Map<String, java.util.List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        public String text(String field) {
            JsonNode node = body.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    public Api withBearer(String secret) {
        Api api = new Api(server);
        api.bearer = secret;
        return api;
    }

    /** This client's cookie plus an API key: both credentials in one request. */
    public Api andBearer(String secret) {
        Api api = new Api(server);
        api.sessionCookie = sessionCookie;
        api.bearer = secret;
        return api;
    }

    public String bearer() {
        return bearer;
    }

    /** A client presenting {@code token} as its session cookie (e.g. one replayed after sign-out). */
    public Api withSessionCookie(String token) {
        Api api = new Api(server);
        api.sessionCookie = token;
        return api;
    }

    /** The same session, as a page on another site would send it. */
    public Api fromOrigin(String otherOrigin) {
        Api api = new Api(server);
        api.sessionCookie = sessionCookie;
        api.origin = otherOrigin;
        return api;
    }

    /** The same client behind a trusted proxy that forwards it as {@code address} (X-Forwarded-For). */
    public Api forwardedFor(String address) {
        Api api = new Api(server);
        api.sessionCookie = sessionCookie;
        api.bearer = bearer;
        api.origin = origin;
        api.forwardedFor = address;
        return api;
    }

    public Optional<String> sessionCookie() {
        return Optional.ofNullable(sessionCookie);
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    public Response patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    public Response delete(String path, Object body) {
        return send("DELETE", path, body);
    }

    public Response send(String method, String path, Object body) {
        try {
            String text = body == null ? null : body instanceof String s ? s : json.writeValueAsString(body);
            return send(method, path, body == null ? null : "application/json", text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A body of any media type, e.g. one the server must refuse; without a Content-Type when it is null. */
    public Response send(String method, String path, String contentType, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.origin() + path))
                    .timeout(Duration.ofSeconds(30));
            if (contentType != null) request.header("Content-Type", contentType);
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (sessionCookie != null) request.header("Cookie", server.sessionCookieName() + "=" + sessionCookie);
            if (bearer != null) request.header("Authorization", "Bearer " + bearer);
            if (origin != null && !method.equals("GET")) request.header("Origin", origin);
            if (forwardedFor != null) request.header("X-Forwarded-For", forwardedFor);
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            response.headers().allValues("Set-Cookie").forEach(this::remember);
            // Every answer of every HTTP test is checked against the served document: drift fails the build.
            OpenApiResponseValidator.SERVED.assertValid(method, path, response.statusCode(), response.headers().map(),
                    response.body());
            boolean lines = response.headers().firstValue("Content-Type").orElse("")
                    .startsWith(OpenApiResponseValidator.JSON_LINES); // many values: read them from raw
            JsonNode parsed = response.body().isEmpty() || lines ? json.nullNode() : json.readTree(response.body());
            return new Response(response.statusCode(), parsed, response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void remember(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        String prefix = server.sessionCookieName() + "=";
        if (!pair.startsWith(prefix)) return;
        String value = pair.substring(prefix.length());
        sessionCookie = value.isEmpty() ? null : value;
    }

    public static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) map.put((String) keyValues[i], keyValues[i + 1]);
        return map;
    }

    /**
     * The status line of a request that declares a body of {@code declaredBytes} and sends only {@code sent}, on a
     * socket of its own: a server refuses an oversized body before reading it, then closes the connection, so a
     * client still writing the whole body may be reset before it reads the answer. {@code headers}: raw lines.
     */
    public static String statusLineOfDeclaredBody(URI target, String method, long declaredBytes, String sent,
                                                  String... headers) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(target.getHost(), target.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(method + " " + target.getRawPath() + " HTTP/1.1\r\nHost: "
                    + target.getHost() + ":" + target.getPort() + "\r\nContent-Length: " + declaredBytes + "\r\n");
            for (String header : headers) head.append(header).append("\r\n");
            head.append("\r\n").append(sent);
            socket.getOutputStream().write(head.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
