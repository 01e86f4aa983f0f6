package com.orgkeys.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The router and its error table, over real HTTP on a free port. */
class RouterHttpTest {
    record Greeting(String name, int count) {
    }

    static final ObjectMapper json = Json.newMapper();
    static final AtomicInteger writes = new AtomicInteger();
    static HttpApi server;
    static HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Router router = new Router(json, 1_048_576);
        router.get("/things/{id}", call -> {
            if (call.pathParam("id").equals("missing")) throw new NotFoundException("No thing missing.");
            call.json(200, Map.of("id", call.pathParam("id")));
        });
        router.post("/things", call -> {
            Greeting greeting = call.body(Greeting.class);
            if (greeting.name() == null || greeting.name().isBlank()) {
                throw new InvalidInputException("name", "must not be blank");
            }
            writes.incrementAndGet();
            call.json(201, greeting);
        });
        router.get("/boom", call -> {
            throw new IllegalStateException("secret internal detail");
        });
        router.delete("/things/{id}", call -> {
        });
        server = HttpApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), router, Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10));
    }

    static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode body = json.readTree(response.body());
        assertEquals(status, body.get("status").asInt());
        assertTrue(body.get("type").asText().startsWith("urn:orgkeys:problem:"));
        assertFalse(body.get("title").asText().isBlank());
        return body;
    }

    @Test
    void matched_route_gets_its_path_parameter() throws Exception {
        HttpResponse<String> response = send(request("/things/a%20b"));
        assertEquals(200, response.statusCode());
        assertEquals("a b", json.readTree(response.body()).get("id").asText());
    }

    @Test
    void unknown_path_is_a_404_problem() throws Exception {
        problem(send(request("/nothing/here")), 404);
        problem(send(request("/things/")), 404);
    }

    @Test
    void wrong_method_is_a_405_problem_with_allow() throws Exception {
        HttpResponse<String> response = send(request("/things").PUT(HttpRequest.BodyPublishers.ofString("{}")));
        problem(response, 405);
        assertEquals("POST", response.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> many = send(request("/things/1").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals("GET, DELETE", many.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void handler_that_writes_nothing_answers_204() throws Exception {
        assertEquals(204, send(request("/things/1").DELETE()).statusCode());
    }

    @Test
    void body_over_the_limit_is_a_413_problem_and_changes_nothing() throws Exception {
        int before = writes.get();
        // Declared too large: refused on the header, before the body is read (only a part of it is even sent).
        assertTrue(rawPost("Content-Length: 2000000\r\n", "{\"name\":\"" + "x".repeat(65_536)).startsWith("HTTP/1.1 413"));
        // Chunked, with no declared length: refused as soon as the limit is passed while reading.
        String chunk = "x".repeat(65_536);
        String chunks = (Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").repeat(20);
        assertTrue(rawPost("Transfer-Encoding: chunked\r\n", chunks).startsWith("HTTP/1.1 413"));
        assertEquals(before, writes.get());
    }

    /** Sends a POST /things by hand, so that the test controls how much of the body goes out, and reads the status. */
    static String rawPost(String framingHeader, String body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            String head = "POST /things HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + framingHeader + "\r\n";
            socket.getOutputStream().write((head + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    @Test
    void non_json_content_type_is_a_415_problem() throws Exception {
        problem(send(request("/things").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a\",\"count\":1}"))), 415);
        problem(send(request("/things").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a\",\"count\":1}"))), 415);
    }

    @Test
    void malformed_json_is_a_400_problem() throws Exception {
        problem(send(request("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":"))), 400);
        problem(send(request("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[".repeat(10_000)))), 400);
        problem(send(request("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a\",\"name\":\"b\",\"count\":1}"))), 400);
    }

    @Test
    void wrong_types_and_unknown_fields_are_422_naming_the_field() throws Exception {
        JsonNode wrongType = problem(send(request("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":5,\"count\":1}"))), 422);
        assertEquals("name", wrongType.get("errors").get(0).get("field").asText());
        JsonNode unknown = problem(send(request("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a\",\"count\":1,\"admin\":true}"))), 422);
        assertEquals("admin", unknown.get("errors").get(0).get("field").asText());
    }

    @Test
    void domain_failures_map_to_their_status() throws Exception {
        JsonNode invalid = problem(send(request("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\" \",\"count\":1}"))), 422);
        assertEquals("name", invalid.get("errors").get(0).get("field").asText());
        assertEquals("No thing missing.", problem(send(request("/things/missing")), 404).get("detail").asText());
    }

    @Test
    void unexpected_failure_is_a_500_without_internals() throws Exception {
        HttpResponse<String> response = send(request("/boom"));
        JsonNode body = problem(response, 500);
        assertFalse(response.body().contains("secret internal detail"));
        assertFalse(response.body().contains("IllegalStateException"));
        assertEquals(response.headers().firstValue("X-Request-Id").orElseThrow(), body.get("requestId").asText());
    }

    @Test
    void request_id_is_echoed_or_generated() throws Exception {
        assertEquals("abc-123", send(request("/things/1").header("X-Request-Id", "abc-123"))
                .headers().firstValue("X-Request-Id").orElseThrow());
        String generated = send(request("/things/1").header("X-Request-Id", "bad id!"))
                .headers().firstValue("X-Request-Id").orElseThrow();
        assertEquals(36, generated.length());
    }

    /**
     * Before closing an exchange, Router reads the request body once more to see whether it is at its end; a
     * body the handler ignored must still be drained, whole, so the next request on the connection parses.
     */
    @Test
    void a_body_the_handler_ignored_is_drained_and_the_next_request_on_the_connection_is_answered() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /things/first HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\n\r\n"
                    + "hello world" + "GET /things/second HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.InputStream in = socket.getInputStream();
            assertEquals("{\"id\":\"first\"}", readResponseBody(in, 200));
            assertEquals("{\"id\":\"second\"}", readResponseBody(in, 200));
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length off a raw socket; checks its status, returns its body. */
    private static String readResponseBody(java.io.InputStream in, int status) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new java.io.EOFException("connection closed after: " + head);
            head.append((char) b);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 " + status + " "), head.toString());
        int length = head.toString().lines()
                .filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .mapToInt(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).strip()))
                .findFirst().orElseThrow();
        return new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * At most {@link Router#CONCURRENT_CLOSES} exchanges are closed at a time: that must never include waiting
     * for a client. These clients, one more than may close at once, each declare a body, send a tenth of it and
     * stall; the handler answers without reading it, and closing the exchange would wait for the rest.
     */
    @Test
    void clients_stalling_mid_body_get_their_answers_and_hold_up_no_one_else() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i <= Router.CONCURRENT_CLOSES; i++) {
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port());
                stalled.add(client);
                client.setSoTimeout(10_000);
                client.getOutputStream().write(("GET /things/slow" + i + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Length: 100\r\n\r\n" + "x".repeat(10)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                assertEquals("{\"id\":\"slow" + i + "\"}", readResponseBody(client.getInputStream(), 200));
            }

            long started = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertEquals(200, send(request("/things/" + i)).statusCode());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "20 requests took " + took);
        } finally {
            for (Socket client : stalled) client.close();
        }
    }
}
