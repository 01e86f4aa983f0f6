package com.orgkeys.http.telemetry;

import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.RequestObserver;
import com.orgkeys.http.server.Route;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.Set;

/**
 * Requests by route template, method and status, with their latency. Bounded: the route is the matched template
 * ({@code /api/api-keys/{id}}) or {@value #UNMATCHED}, the method one of the standard ones or {@code other},
 * the status a number 100–599; nothing else a client sends becomes a label.
 */
public final class PrometheusRequestMetrics implements RequestObserver {
    static final String UNMATCHED = "unmatched";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final String[] STATUSES = new String[600];

    static {
        for (int i = 100; i < STATUSES.length; i++) STATUSES[i] = Integer.toString(i);
    }

    private final Histogram requests;

    public PrometheusRequestMetrics(PrometheusRegistry registry) {
        requests = Histogram.builder()
                .name("orgkeys_http_requests_seconds")
                .unit(Unit.SECONDS)
                .help("HTTP requests by route template, method and status: time from receipt to the answer sent")
                .labelNames("route", "method", "status")
                .classicOnly()
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .withoutExemplars()
                .register(registry);
    }

    @Override
    public void completed(HttpCall call, Route route, String method, int status, long nanos) {
        String label = route == null ? UNMATCHED : route.pattern();
        String statusLabel = status >= 100 && status < STATUSES.length ? STATUSES[status] : "other";
        requests.labelValues(label, METHODS.contains(method) ? method : "other", statusLabel).observe(nanos / 1e9);
    }
}
