package com.orgkeys.http.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orgkeys.domain.shared.UnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HttpCall#jsonLines}: streamed one value per line; a failure after the start cuts the connection. */
class JsonLinesHttpTest {
    record Line(int n, String text) {
    }

    static final ObjectMapper json = Json.newMapper();
    static HttpApi server;
    static final HttpClient client = HttpClient.newHttpClient();

    /** {@code count} lines, failing when asked for line {@code failAt} (never when it is -1). */
    static Iterable<Line> lines(int count, int failAt) {
        return () -> new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                if (next == failAt) throw new UnavailableException("the database went away", null);
                return next < count;
            }

            @Override
            public Line next() {
                next++;
                return new Line(next, "line \"" + next + "\"\n");
            }
        };
    }

    @BeforeAll
    static void start() {
        Router router = new Router(json, 1_048_576);
        router.get("/lines", call -> call.jsonLines(200, lines(5_000, -1)));
        router.get("/none", call -> call.jsonLines(200, List.of()));
        router.get("/fails-at-once", call -> call.jsonLines(200, lines(5_000, 0)));
        router.get("/fails-later", call -> call.jsonLines(200, lines(5_000, 4_000)));
        server = HttpApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), router, Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void every_item_is_one_json_line_in_order() throws Exception {
        HttpResponse<String> response = get("/lines");

        assertEquals(200, response.statusCode());
        assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().endsWith("}\n"));
        List<String> lines = response.body().lines().toList();
        assertEquals(IntStream.rangeClosed(1, 5_000).boxed().toList(),
                lines.stream().map(line -> read(line).n()).toList());
        assertEquals("line \"7\"\n", read(lines.get(6)).text());
    }

    @Test
    void no_items_is_an_empty_body() throws Exception {
        HttpResponse<String> response = get("/none");
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
    }

    @Test
    void a_failure_before_the_first_line_is_an_ordinary_problem() throws Exception {
        HttpResponse<String> response = get("/fails-at-once");
        assertEquals(503, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void a_failure_after_the_answer_began_cuts_the_connection_rather_than_ending_the_body() throws Exception {
        assertThrows(IOException.class, () -> get("/fails-later"));
        assertEquals(200, get("/lines").statusCode(), "the server goes on");
    }

    private static Line read(String line) {
        try {
            return json.readValue(line, Line.class);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }
}
