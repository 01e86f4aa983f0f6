package com.orgkeys.http.server;

import com.orgkeys.domain.shared.UnauthenticatedException;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router checks the {@link Access} a route declares before its handler runs, so a handler that reads the
 * body first still answers 401 to a caller without credentials; a router without an access check refuses
 * guarded routes instead of running them. And JSON bodies are {@code application/json}, nothing else.
 */
class RouteAccessHttpTest {
    record Thing(String name) {
    }

    static HttpApi guarded;
    static HttpApi unwired;
    static final AtomicInteger handled = new AtomicInteger();
    static final HttpClient client = HttpClient.newHttpClient();

    static Router routes(Router router) {
        router.post("/things", Access.USER_OR_API_KEY, call -> {
            handled.incrementAndGet();
            call.json(201, call.body(Thing.class));
        });
        router.post("/public", call -> call.json(200, call.body(Thing.class)));
        return router;
    }

    @BeforeAll
    static void start() {
        Router router = routes(new Router(Json.newMapper(), 4096)).accessCheck((call, access) -> {
            if (access != Access.PUBLIC && call.header("X-Test-Caller").isEmpty()) {
                throw new UnauthenticatedException("Who are you?");
            }
        });
        guarded = HttpApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), router, Duration.ofSeconds(1));
        unwired = HttpApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                routes(new Router(Json.newMapper(), 4096)), Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        guarded.close();
        unwired.close();
    }

    static HttpResponse<String> post(HttpApi server, String path, String contentType, String body, boolean caller) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (caller) request.header("X-Test-Caller", "someone");
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_caller_without_credentials_gets_401_before_the_body_is_looked_at() throws Exception {
        int before = handled.get();
        for (Map.Entry<String, String> bad : Map.of("text/plain", "x", "application/json", "{", "application/xml", "<a/>",
                "application/merge-patch+json", "{}").entrySet()) {
            var response = post(guarded, "/things", bad.getKey(), bad.getValue(), false);
            assertEquals(401, response.statusCode(), bad + " -> " + response.body());
        }
        assertEquals(before, handled.get(), "the handler ran for a refused caller");
        assertEquals(415, post(guarded, "/things", "text/plain", "x", true).statusCode());
        assertEquals(201, post(guarded, "/things", "application/json", "{\"name\":\"a\"}", true).statusCode());
    }

    @Test
    void a_public_route_needs_no_credentials() throws Exception {
        assertEquals(200, post(guarded, "/public", "application/json", "{\"name\":\"a\"}", false).statusCode());
        assertEquals(200, post(unwired, "/public", "application/json", "{\"name\":\"a\"}", false).statusCode());
    }

    @Test
    void without_an_access_check_a_guarded_route_fails_closed() throws Exception {
        int before = handled.get();
        var response = post(unwired, "/things", "application/json", "{\"name\":\"a\"}", true);
        assertEquals(500, response.statusCode(), response.body());
        assertEquals(before, handled.get());
    }

    @Test
    void json_bodies_are_application_json_with_any_parameters_and_no_other_type() throws Exception {
        for (String accepted : new String[]{"application/json", "application/json; charset=utf-8", "APPLICATION/JSON;charset=UTF-8"}) {
            assertEquals(200, post(guarded, "/public", accepted, "{\"name\":\"a\"}", false).statusCode(), accepted);
        }
        for (String refused : new String[]{"application/merge-patch+json", "application/vnd.api+json", "application/problem+json",
                "text/json", "application/jsonl", ""}) {
            var response = post(guarded, "/public", refused, "{\"name\":\"a\"}", false);
            assertEquals(415, response.statusCode(), refused);
            assertEquals("application/json", response.headers().firstValue("Accept-Post").orElse(""), refused);
            assertTrue(response.body().contains("application/json"), response.body());
        }
    }
}
