package com.orgkeys.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values a client controls that no legitimate client sends (a NUL character, a null list element) are refused
 * where the request is read, 422 naming the field, before any handler sees them; cookies are read as RFC 6265
 * allows them to be sent.
 */
class ClientInputHttpTest {
    record Body(String name, List<String> scopes, Nested nested) {
    }

    record Nested(List<String> items) {
    }

    static final ObjectMapper json = Json.newMapper();
    static final HttpClient client = HttpClient.newHttpClient();
    static HttpApi server;

    @BeforeAll
    static void start() {
        Router router = new Router(json, 65_536);
        router.post("/json", call -> call.json(200, call.body(Body.class)));
        router.get("/query", call -> call.json(200, Map.of("q", call.queryParam("q").orElse("-"))));
        router.post("/form", call -> call.json(200, Map.of("form", call.form())));
        router.get("/cookie", call -> call.json(200, Map.of("c", call.cookie("c").orElse("-"))));
        server = HttpApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), router, Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postJson(String body) throws Exception {
        return send(request("/json").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Asserts a 422 problem whose only field error names {@code field} and says {@code message}. */
    static void assertFieldRefused(HttpResponse<String> response, String field, String message) throws Exception {
        assertEquals(422, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode errors = json.readTree(response.body()).get("errors");
        assertEquals(1, errors.size(), response.body());
        assertEquals(field, errors.get(0).get("field").asText(), response.body());
        assertTrue(errors.get(0).get("message").asText().contains(message), response.body());
    }

    @Test
    void a_nul_character_in_any_json_string_is_422_naming_the_field() throws Exception {
        assertFieldRefused(postJson("{\"name\":\"a\\u0000b\"}"), "name", "NUL");
        assertFieldRefused(postJson("{\"scopes\":[\"ok\",\"\\u0000\"]}"), "scopes[1]", "NUL");
        assertFieldRefused(postJson("{\"nested\":{\"items\":[\"x\\u0000\"]}}"), "nested.items[0]", "NUL");
        // other control characters are the domain's call (descriptions may hold newlines): bound as sent
        var tab = postJson("{\"name\":\"a\\tb\\nc\"}");
        assertEquals(200, tab.statusCode(), tab.body());
    }

    @Test
    void a_null_element_in_any_json_array_is_422_naming_the_element() throws Exception {
        assertFieldRefused(postJson("{\"scopes\":[null]}"), "scopes[0]", "must not be null");
        assertFieldRefused(postJson("{\"nested\":{\"items\":[\"a\",null]}}"), "nested.items[1]", "must not be null");
        // a null list (as opposed to a null in a list) is an absent optional field
        var absent = postJson("{\"name\":\"x\",\"scopes\":null}");
        assertEquals(200, absent.statusCode(), absent.body());
    }

    @Test
    void a_json_body_of_more_tokens_than_any_request_needs_is_413_wherever_they_are() throws Exception {
        String many = "\"a\",".repeat((int) Json.MAX_TOKENS) + "\"a\"";
        for (String body : new String[]{"{\"scopes\":[" + many + "]}", "{\"nested\":{\"items\":[" + many + "]}}"}) {
            var response = postJson(body);
            assertEquals(413, response.statusCode(), response.body());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(response.body().contains("more than " + Json.MAX_TOKENS + " tokens"), response.body());
        }
        var justUnder = postJson("{\"scopes\":[" + "\"a\",".repeat((int) Json.MAX_TOKENS - 10) + "\"a\"]}");
        assertEquals(200, justUnder.statusCode(), "the limit is on tokens, not on lists: " + justUnder.statusCode());
    }

    @Test
    void a_nul_character_in_a_query_parameter_is_422_naming_it() throws Exception {
        assertFieldRefused(send(request("/query?q=a%00b")), "q", "NUL");
        assertFieldRefused(send(request("/query?q=fine&other=%00")), "other", "NUL");
        assertEquals(200, send(request("/query?q=a%09b")).statusCode());
    }

    @Test
    void a_nul_character_in_a_form_field_is_422_naming_it() throws Exception {
        var response = send(request("/form").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=ok&note=a%00b")));
        assertFieldRefused(response, "note", "NUL");
    }

    @Test
    void cookie_values_are_read_plain_or_quoted_as_rfc_6265_allows() throws Exception {
        for (String header : new String[]{"c=abc", "c=\"abc\"", "other=1; c=\"abc\"", "$Version=\"1\"; c=\"abc\";$Path=\"/\"",
                " c = abc ; d=2"}) {
            var response = send(request("/cookie").header("Cookie", header));
            assertEquals("{\"c\":\"abc\"}", response.body(), header);
        }
        // a lone quote is not a quoted value: passed on as sent, for the caller to refuse
        assertEquals("{\"c\":\"\\\"abc\"}", send(request("/cookie").header("Cookie", "c=\"abc")).body());
    }
}
