package com.orgkeys.persistence.database;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.function.ToIntFunction;

/**
 * HikariCP's pool metrics on prometheus-metrics-core (Hikari's own Prometheus tracker is for the older
 * simpleclient). Label {@code pool}: the pool's name, one per process.
 */
final class PrometheusPoolMetrics implements MetricsTrackerFactory {
    private static final double[] SECONDS = {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10};

    private final PrometheusRegistry registry;

    PrometheusPoolMetrics(PrometheusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public IMetricsTracker create(String poolName, PoolStats stats) {
        gauge("hikaricp_connections_active", "Connections in use", poolName, stats, PoolStats::getActiveConnections);
        gauge("hikaricp_connections_idle", "Idle connections", poolName, stats, PoolStats::getIdleConnections);
        gauge("hikaricp_connections", "Open connections (active + idle)", poolName, stats, PoolStats::getTotalConnections);
        gauge("hikaricp_connections_pending", "Threads waiting for a connection", poolName, stats, PoolStats::getPendingThreads);
        gauge("hikaricp_connections_max", "Maximum pool size", poolName, stats, PoolStats::getMaxConnections);
        gauge("hikaricp_connections_min", "Minimum idle connections", poolName, stats, PoolStats::getMinConnections);
        CounterDataPoint timeouts = Counter.builder().name("hikaricp_connection_timeouts_total")
                .help("Requests for a connection that timed out").labelNames("pool").withoutExemplars()
                .register(registry).labelValues(poolName);
        DistributionDataPoint acquire = histogram("hikaricp_connection_acquire_seconds", "Time to get a connection from the pool", poolName);
        DistributionDataPoint usage = histogram("hikaricp_connection_usage_seconds", "Time a connection was held before it was returned", poolName);
        DistributionDataPoint creation = histogram("hikaricp_connection_creation_seconds", "Time to open a new connection", poolName);
        return new IMetricsTracker() {
            @Override
            public void recordConnectionAcquiredNanos(long nanos) {
                acquire.observe(nanos / 1e9);
            }

            @Override
            public void recordConnectionUsageMillis(long millis) {
                usage.observe(millis / 1e3);
            }

            @Override
            public void recordConnectionCreatedMillis(long millis) {
                creation.observe(millis / 1e3);
            }

            @Override
            public void recordConnectionTimeout() {
                timeouts.inc();
            }
        };
    }

    private void gauge(String name, String help, String pool, PoolStats stats, ToIntFunction<PoolStats> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("pool")
                .callback(callback -> callback.call(value.applyAsInt(stats), pool))
                .register(registry);
    }

    private DistributionDataPoint histogram(String name, String help, String pool) {
        return Histogram.builder().name(name).unit(Unit.SECONDS).help(help).labelNames("pool")
                .classicOnly().classicUpperBounds(SECONDS).withoutExemplars()
                .register(registry).labelValues(pool);
    }
}
