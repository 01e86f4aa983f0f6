package com.orgkeys.persistence.telemetry;

import com.orgkeys.application.apikey.port.out.ApiKeyVerificationObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Key verification as Prometheus metrics. Every label value is fixed here (the outcomes): nothing a client sends
 * becomes a label, so the number of series is bounded whatever keys arrive. Data points are resolved once, so
 * the verification path only adds to a counter.
 */
public final class PrometheusApiKeyMetrics implements ApiKeyVerificationObserver {
    private final Map<Outcome, CounterDataPoint> outcomes = new EnumMap<>(Outcome.class);
    private final CounterDataPoint cacheHits;
    private final CounterDataPoint cacheMisses;
    private final Gauge feedConnected;
    private final Counter feedDisconnections;
    private final Histogram revocationLag;
    private final AtomicBoolean connected = new AtomicBoolean();

    public PrometheusApiKeyMetrics(PrometheusRegistry registry) {
        Counter verifications = Counter.builder()
                .name("orgkeys_api_key_verifications_total")
                .help("API key verifications by outcome (insufficient_scope: a valid key refused for its scopes)")
                .labelNames("outcome")
                .withoutExemplars()
                .register(registry);
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, verifications.labelValues(outcome.name().toLowerCase(Locale.ROOT)));
        }
        Counter cache = Counter.builder()
                .name("orgkeys_api_key_cache_lookups_total")
                .help("API key lookups by verification: hit = answered from the lookup cache, miss = asked the database")
                .labelNames("result")
                .withoutExemplars()
                .register(registry);
        cacheHits = cache.labelValues("hit");
        cacheMisses = cache.labelValues("miss");
        feedConnected = Gauge.builder()
                .name("orgkeys_revocation_feed_connected")
                .help("1 while the revocation feed (PostgreSQL LISTEN) is connected; 0 while not (nothing is cached then)")
                .withoutExemplars()
                .register(registry);
        feedDisconnections = Counter.builder()
                .name("orgkeys_revocation_feed_disconnections_total")
                .help("Times the revocation feed went from connected to disconnected")
                .withoutExemplars()
                .register(registry);
        revocationLag = Histogram.builder()
                .name("orgkeys_revocation_lag_seconds")
                .unit(Unit.SECONDS)
                .help("From the revoking statement (database clock) to this process evicting the key")
                .classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .withoutExemplars()
                .register(registry);
    }

    @Override
    public void verified(Outcome outcome) {
        outcomes.get(outcome).inc();
    }

    @Override
    public void cacheHit() {
        cacheHits.inc();
    }

    @Override
    public void cacheMiss() {
        cacheMisses.inc();
    }

    @Override
    public void feedConnected() {
        connected.set(true);
        feedConnected.set(1);
    }

    @Override
    public void feedDisconnected() {
        // reported on every failed reconnection too: only the change from connected counts
        if (connected.getAndSet(false)) feedDisconnections.inc();
        feedConnected.set(0);
    }

    @Override
    public void revocationApplied(Duration lag) {
        revocationLag.observe(Math.max(0, lag.toMillis()) / 1e3); // millis: a forged payload's span overflows nanos
    }
}
