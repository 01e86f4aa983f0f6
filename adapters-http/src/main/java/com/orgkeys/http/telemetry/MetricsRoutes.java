package com.orgkeys.http.telemetry;

import com.orgkeys.domain.shared.UnauthenticatedException;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.HttpProblem;
import com.orgkeys.http.server.Router;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * {@code GET /metrics}: the registry in the format the scraper asks for (Prometheus text by default; OpenMetrics or
 * protobuf by {@code Accept}). On the public port it needs {@code Authorization: Bearer <METRICS_TOKEN>} and
 * answers 404, as for any unknown path, when no token is configured; on the metrics port it is open.
 */
public final class MetricsRoutes {
    public static final String PATH = "/metrics";

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final boolean guarded;
    /** SHA-256 of the token: compared in constant time, and the same length whatever was sent. */
    private final Optional<byte[]> tokenDigest;

    private MetricsRoutes(PrometheusRegistry registry, boolean guarded, Optional<String> token) {
        this.registry = registry;
        this.guarded = guarded;
        this.tokenDigest = token.map(MetricsRoutes::sha256);
    }

    /** For the public port: Bearer {@code token} required; without a token, /metrics does not exist there. */
    public static MetricsRoutes behindToken(PrometheusRegistry registry, Optional<String> token) {
        return new MetricsRoutes(registry, true, token);
    }

    /** For a listener of its own (METRICS_PORT), kept off the public network by its address. */
    public static MetricsRoutes open(PrometheusRegistry registry) {
        return new MetricsRoutes(registry, false, Optional.empty());
    }

    public void register(Router router) {
        router.get(PATH, this::scrape);
    }

    private void scrape(HttpCall call) throws Exception {
        if (guarded) {
            if (tokenDigest.isEmpty()) throw new HttpProblem(404, "Not Found", "No resource at " + PATH + ".");
            String sent = call.header("Authorization").map(String::strip)
                    .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(value -> value.substring(7).strip()).orElse("");
            if (!MessageDigest.isEqual(sha256(sent), tokenDigest.get())) {
                throw new UnauthenticatedException("Send 'Authorization: Bearer <METRICS_TOKEN>'.");
            }
        }
        ExpositionFormatWriter writer = formats.findWriter(call.header("Accept").orElse(null));
        ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
        writer.write(out, registry.scrape());
        call.send(200, writer.getContentType(), out.toByteArray());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
