package com.orgkeys.bootstrap.api;

import com.orgkeys.domain.apikey.ApiKeySecret;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /metrics: behind METRICS_TOKEN on the public port, open on METRICS_PORT, read back with the client library's
 * own parser (the protobuf exposition format's generated MetricFamily parser: the library has no text parser),
 * and the text format checked against what that parser read.
 */
class MetricsApiTest {
    static final String TOKEN = "metrics-token-" + UUID.randomUUID();
    static final HttpClient http = HttpClient.newHttpClient();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("METRICS_TOKEN", TOKEN, "METRICS_PORT", "0"));
        // the revocation feed connects on its own thread: the cache (and its hits) only count once it has
        eventually(() -> value(scrape(), "orgkeys_revocation_feed_connected", Map.of()) == 1, "the feed connects");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Answer(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** GET /metrics on the public port, checked against the served OpenAPI document. */
    static Answer publicMetrics(String authorization, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.origin() + "/metrics"));
        if (authorization != null) request.header("Authorization", authorization);
        if (accept != null) request.header("Accept", accept);
        Answer answer = send(request);
        return answer;
    }

    static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (request.build().uri().getPort() == server.app.port() && !contentType.contains("protobuf")) {
                OpenApiResponseValidator.SERVED.assertValid("GET", "/metrics", response.statusCode(),
                        response.headers().map(), new String(response.body(), StandardCharsets.UTF_8));
            }
            return new Answer(response.statusCode(), contentType, response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A scrape of the metrics port in the protobuf format, parsed by the client library's generated parser. */
    static Map<String, MetricFamily> scrape() {
        Answer answer = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.app.metricsPort().orElseThrow() + "/metrics"))
                .header("Accept", PrometheusProtobufWriter.CONTENT_TYPE));
        assertEquals(200, answer.status());
        assertTrue(answer.contentType().startsWith("application/vnd.google.protobuf"), answer.contentType());
        Map<String, MetricFamily> families = new LinkedHashMap<>();
        try (InputStream in = new ByteArrayInputStream(answer.body())) {
            MetricFamily family;
            while ((family = MetricFamily.parseDelimitedFrom(in)) != null) families.put(family.getName(), family);
        } catch (IOException e) {
            throw new AssertionError("not the protobuf exposition format", e);
        }
        return families;
    }

    /** The counter's or gauge's value for these labels; 0 when there is no such series. */
    static double value(Map<String, MetricFamily> families, String name, Map<String, String> labels) {
        MetricFamily family = families.get(name);
        if (family == null) return 0;
        for (Metric metric : family.getMetricList()) {
            Map<String, String> actual = new LinkedHashMap<>();
            metric.getLabelList().forEach(pair -> actual.put(pair.getName(), pair.getValue()));
            if (!actual.entrySet().containsAll(labels.entrySet())) continue;
            return family.getType() == MetricType.COUNTER ? metric.getCounter().getValue()
                    : family.getType() == MetricType.HISTOGRAM ? metric.getHistogram().getSampleCount()
                    : metric.getGauge().getValue();
        }
        return 0;
    }

    static double verifications(String outcome) {
        return value(scrape(), "orgkeys_api_key_verifications_total", Map.of("outcome", outcome));
    }

    static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("not within 10 s: " + what);
            Thread.onSpinWait();
        }
    }

    static Api adminOfNewOrganization() {
        Api admin = server.signUp("m" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        assertEquals(201, admin.post("/api/organizations", body("name", "Metrics Inc")).status());
        return admin;
    }

    @Test
    void the_public_port_needs_the_token_compared_whole() {
        assertEquals(401, publicMetrics(null, null).status());
        assertEquals(401, publicMetrics("Bearer " + TOKEN.substring(0, TOKEN.length() - 1), null).status());
        assertEquals(401, publicMetrics("Bearer " + TOKEN + "x", null).status());
        Answer answer = publicMetrics("Bearer " + TOKEN, null);
        assertEquals(200, answer.status());
        assertTrue(answer.contentType().startsWith("text/plain; version=0.0.4"), answer.contentType());
    }

    @Test
    void every_family_the_parser_reads_is_in_the_text_format_with_the_same_counts() {
        // touch the verification counter so that both scrapes see a value, then compare them with no traffic between
        server.anonymous().withBearer("not a key").get("/api/whoami");
        Map<String, MetricFamily> families = scrape();
        String text = publicMetrics("Bearer " + TOKEN, null).text();
        for (String family : List.of("orgkeys_http_requests_seconds", "orgkeys_api_key_verifications_total",
                "orgkeys_api_key_cache_lookups_total", "orgkeys_revocation_feed_connected",
                "orgkeys_revocation_feed_disconnections_total", "orgkeys_revocation_lag_seconds", "hikaricp_connections",
                "hikaricp_connections_active", "hikaricp_connection_acquire_seconds", "jvm_memory_used_bytes",
                "jvm_threads_current", "process_cpu_seconds_total")) {
            assertTrue(families.containsKey(family), family + " missing from " + families.keySet());
        }
        Pattern sample = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\""
                + "(,[a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\")*,?})? [-+]?([0-9.eE+-]+|NaN|Inf)( -?[0-9]+)?");
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
            assertTrue(sample.matcher(line).matches(), "not a text-format sample line: " + line);
        }
        for (MetricFamily family : families.values()) {
            String name = family.getName();
            assertTrue(text.contains("\n# TYPE " + name + " ") || text.startsWith("# HELP " + name + " "), name);
        }
        double malformed = value(families, "orgkeys_api_key_verifications_total", Map.of("outcome", "malformed"));
        assertTrue(malformed >= 1);
        assertTrue(text.contains("orgkeys_api_key_verifications_total{outcome=\"malformed\"} " + malformed), text);
    }

    @Test
    void each_verification_outcome_moves_its_counter() {
        Api admin = adminOfNewOrganization();
        String reader = admin.post("/api/api-keys", body("name", "reader", "scopes", List.of("org:agents:read"))).text("secret");
        var revokedKey = admin.post("/api/api-keys", body("name", "to revoke"));
        String expiring = admin.post("/api/api-keys", body("name", "short", "secondsUntilExpiration", 60)).text("secret");
        assertEquals(200, admin.post("/api/api-keys/" + revokedKey.text("id") + "/revoke", null).status());
        var disabledKey = admin.post("/api/api-keys", body("name", "to disable"));
        assertEquals(200, admin.post("/api/api-keys/" + disabledKey.text("id") + "/disable", null).status());
        String wrongChecksum = reader.substring(0, reader.length() - 1) + (reader.endsWith("A") ? "B" : "A");

        Map<String, Runnable> outcomes = new LinkedHashMap<>();
        outcomes.put("valid", () -> assertEquals(200, server.anonymous().withBearer(reader).get("/api/whoami").status()));
        outcomes.put("malformed", () -> assertEquals(401, server.anonymous().withBearer("hello").get("/api/whoami").status()));
        outcomes.put("bad_checksum", () -> assertEquals(401, server.anonymous().withBearer(wrongChecksum).get("/api/whoami").status()));
        outcomes.put("unknown", () -> assertEquals(401, server.anonymous().withBearer(ApiKeySecret.generate().reveal()).get("/api/whoami").status()));
        outcomes.put("revoked", () -> assertEquals(401, server.anonymous().withBearer(revokedKey.text("secret")).get("/api/whoami").status()));
        outcomes.put("disabled", () -> assertEquals(401, server.anonymous().withBearer(disabledKey.text("secret")).get("/api/whoami").status()));
        outcomes.put("insufficient_scope", () -> assertEquals(403, server.anonymous().withBearer(reader)
                .post("/api/agents", body("name", "a", "model", "m")).status()));
        for (var outcome : outcomes.entrySet()) {
            double before = verifications(outcome.getKey());
            outcome.getValue().run();
            assertTrue(verifications(outcome.getKey()) >= before + 1, outcome.getKey() + " did not move");
        }
        // last: it moves the clock of the whole server
        double before = verifications("expired");
        server.clock.advance(Duration.ofSeconds(61));
        assertEquals(401, server.anonymous().withBearer(expiring).get("/api/whoami").status());
        assertTrue(verifications("expired") >= before + 1, "expired did not move");
    }

    @Test
    void a_key_used_again_is_a_cache_hit_and_a_revocation_reports_its_lag() {
        Api admin = adminOfNewOrganization();
        var created = admin.post("/api/api-keys", body("name", "hot"));
        Api program = server.anonymous().withBearer(created.text("secret"));
        double hits = value(scrape(), "orgkeys_api_key_cache_lookups_total", Map.of("result", "hit"));
        double lags = value(scrape(), "orgkeys_revocation_lag_seconds", Map.of());
        assertEquals(200, program.get("/api/whoami").status());
        assertEquals(200, program.get("/api/whoami").status());
        assertTrue(value(scrape(), "orgkeys_api_key_cache_lookups_total", Map.of("result", "hit")) >= hits + 1);
        assertEquals(200, admin.post("/api/api-keys/" + created.text("id") + "/revoke", null).status());
        eventually(() -> value(scrape(), "orgkeys_revocation_lag_seconds", Map.of()) >= lags + 1,
                "the revocation comes back through the feed, with its lag");
    }

    @Test
    void a_forged_notification_does_not_stop_the_feed() throws Exception {
        // Anyone who can connect may NOTIFY: a lag of -292,000 years once killed the feed's thread for good
        try (var connection = com.orgkeys.persistence.testing.TestPostgres.connect(server.database);
             var statement = connection.createStatement()) {
            statement.execute("NOTIFY orgkeys_api_key_revoked_at, 'x -8000000000000000'");
            statement.execute("NOTIFY orgkeys_api_key_revoked_at, 'no-time-at-all'");
        }
        Api admin = adminOfNewOrganization();
        var created = admin.post("/api/api-keys", body("name", "after the forgery"));
        Api program = server.anonymous().withBearer(created.text("secret"));
        assertEquals(200, program.get("/api/whoami").status());
        double lags = value(scrape(), "orgkeys_revocation_lag_seconds", Map.of());
        assertEquals(200, admin.post("/api/api-keys/" + created.text("id") + "/revoke", null).status());
        eventually(() -> value(scrape(), "orgkeys_revocation_lag_seconds", Map.of()) >= lags + 1,
                "a revocation after the forged ones still comes back through the feed");
        assertEquals(1, value(scrape(), "orgkeys_revocation_feed_connected", Map.of()));
    }

    @Test
    void requests_are_labelled_by_route_template_and_nothing_a_client_sends_adds_series() {
        Api admin = adminOfNewOrganization();
        String id = admin.post("/api/api-keys", body("name", "k")).text("id");
        assertEquals(200, admin.get("/api/api-keys/" + id).status());
        server.anonymous().get("/no/such/path/" + UUID.randomUUID());
        server.anonymous().get("/api/api-keys/" + UUID.randomUUID());
        server.anonymous().withBearer(ApiKeySecret.generate().reveal()).get("/api/whoami");
        Map<String, MetricFamily> before = scrape();
        assertTrue(value(before, "orgkeys_http_requests_seconds",
                Map.of("route", "/api/api-keys/{id}", "method", "GET", "status", "200")) >= 1);
        for (int i = 0; i < 40; i++) {
            String random = UUID.randomUUID().toString();
            assertEquals(404, server.anonymous().get("/no/such/path/" + random).status());
            assertEquals(401, server.anonymous().get("/api/api-keys/" + random).status());
            server.anonymous().withBearer(ApiKeySecret.generate().reveal()).get("/api/whoami");
        }
        Map<String, MetricFamily> after = scrape();
        for (String family : List.of("orgkeys_http_requests_seconds", "orgkeys_api_key_verifications_total",
                "orgkeys_api_key_cache_lookups_total")) {
            assertEquals(before.get(family).getMetricCount(), after.get(family).getMetricCount(), family + " gained series");
        }
        String text = publicMetrics("Bearer " + TOKEN, null).text();
        assertFalse(text.contains(id), "a key id became a label");
        assertFalse(text.contains("/no/such/path"), "a raw path became a label");
        Set<String> routes = new java.util.TreeSet<>();
        after.get("orgkeys_http_requests_seconds").getMetricList().forEach(m -> m.getLabelList().stream()
                .filter(l -> l.getName().equals("route")).forEach(l -> routes.add(l.getValue())));
        assertTrue(routes.contains("unmatched"), routes.toString());
    }
}
