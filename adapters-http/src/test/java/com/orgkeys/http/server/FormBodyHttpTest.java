package com.orgkeys.http.server;

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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HttpCall#form()} over real HTTP: decoding, repeated fields, media type, and the limits. */
class FormBodyHttpTest {
    static HttpApi server;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Router router = new Router(Json.newMapper(), 4096);
        router.post("/form", call -> call.json(200, Map.of("form", call.form(),
                "first", call.formParam("name").orElse("-"), "scopes", call.formParams("scope"))));
        server = HttpApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), router, Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(String contentType, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/form"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fields_are_percent_and_plus_decoded_and_repeated_fields_keep_their_order() throws Exception {
        var response = post("application/x-www-form-urlencoded; charset=UTF-8",
                "name=Ac%C3%A9me+%3Cb%3E&scope=a&scope=b&empty=&flag");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"first\":\"Acéme <b>\""), response.body());
        assertTrue(response.body().contains("\"scopes\":[\"a\",\"b\"]"), response.body());
        assertTrue(response.body().contains("\"empty\":[\"\"]") && response.body().contains("\"flag\":[\"\"]"),
                response.body());
    }

    @Test
    void another_media_type_is_415() throws Exception {
        var response = post("application/json", "{\"name\":\"x\"}");
        assertEquals(415, response.statusCode());
        assertTrue(response.body().contains("x-www-form-urlencoded"), response.body());
    }

    @Test
    void a_body_over_the_limit_is_413() throws Exception {
        assertEquals(413, post("application/x-www-form-urlencoded", "name=" + "x".repeat(5000)).statusCode());
    }

    @Test
    void too_many_fields_are_413() throws Exception {
        assertEquals(413, post("application/x-www-form-urlencoded", "a&".repeat(HttpCall.MAX_FORM_FIELDS)).statusCode());
    }

    @Test
    void bad_percent_encoding_is_400() throws Exception {
        var response = post("application/x-www-form-urlencoded", "name=%zz");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("form body"), response.body());
    }
}
