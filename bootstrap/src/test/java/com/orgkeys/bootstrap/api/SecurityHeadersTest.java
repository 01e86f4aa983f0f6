package com.orgkeys.bootstrap.api;

import com.orgkeys.http.server.SecurityHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HSTS with an https BASE_URL only, on every kind of answer; the pages' policies forbid plugins and {@code <base>}. */
class SecurityHeadersTest {
    static final HttpClient http = HttpClient.newHttpClient();
    static TestServer https;
    static TestServer plain;

    @BeforeAll
    static void start() {
        https = TestServer.start(Map.of("BASE_URL", "https://keys.example.test"));
        plain = TestServer.startOn(https.database, Map.of());
    }

    @AfterAll
    static void stop() {
        if (plain != null) plain.close();
        if (https != null) https.close();
    }

    /** A page (outside the OpenAPI document's scope). */
    static HttpResponse<String> page(TestServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.origin() + path)).header("Accept", "text/html")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<Optional<String>> hsts(TestServer server) throws Exception {
        Api anonymous = server.anonymous();
        return List.of(Optional.ofNullable(anonymous.get("/healthz").header("Strict-Transport-Security")),
                Optional.ofNullable(anonymous.get("/api/me").header("Strict-Transport-Security")), // 401
                Optional.ofNullable(anonymous.get("/api/no-such-thing").header("Strict-Transport-Security")), // 404
                page(server, "/sign-in").headers().firstValue("Strict-Transport-Security"),
                page(server, "/docs").headers().firstValue("Strict-Transport-Security"));
    }

    @Test
    void an_https_base_url_gets_hsts_on_every_answer_plain_http_on_none() throws Exception {
        assertEquals("max-age=63072000", SecurityHeaders.HSTS);
        for (Optional<String> value : hsts(https)) assertEquals(Optional.of(SecurityHeaders.HSTS), value);
        for (Optional<String> value : hsts(plain)) assertEquals(Optional.empty(), value);
    }

    @Test
    void pages_forbid_plugins_and_base_elements() throws Exception {
        for (String path : new String[] {"/sign-in", "/docs"}) {
            String csp = page(plain, path).headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("default-src 'none'") && csp.contains("object-src 'none'")
                    && csp.contains("base-uri 'none'") && csp.contains("frame-ancestors 'none'"), path + ": " + csp);
        }
    }
}
