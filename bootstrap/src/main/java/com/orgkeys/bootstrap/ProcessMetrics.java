package com.orgkeys.bootstrap;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The JVM's and the process's own metrics (memory, GC, threads, CPU, open files), from the client library. */
public final class ProcessMetrics {
    private ProcessMetrics() {
    }

    public static void register(PrometheusRegistry registry) {
        JvmMetrics.builder().register(registry);
    }
}
