package com.orgkeys.bootstrap.cluster;

import com.orgkeys.bootstrap.Main;
import com.orgkeys.bootstrap.api.OpenApiResponseValidator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One orgkeys node: Main in its own JVM (as {@code java -jar} runs it) on a fixed loopback port, so that it can be
 * stopped and started again where the balancer expects it. Each start writes its own log under
 * target/resilience-logs, where ./orgkeys test scans for secrets.
 */
final class Node implements AutoCloseable {
    /** The access line every request logs: method, path, status, duration, request id. */
    static final Pattern ACCESS = Pattern.compile("\\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\\S+) (\\d{3}) \\d+ms rid=");
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    private final Map<String, String> environment;
    private final List<Path> logs = new ArrayList<>();
    private Process process;

    Node(String name, int port, Map<String, String> environment) {
        this.name = name;
        this.port = port;
        this.environment = new HashMap<>(environment);
        this.environment.putAll(Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1", "LOG_LEVEL", "info"));
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Launches the JVM without waiting for it: {@link #awaitReady} does. */
    synchronized void start() {
        if (process != null && process.isAlive()) throw new IllegalStateException(name + " is running");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Path.of("target", "resilience-logs", "cluster-" + name + "-" + System.nanoTime() + ".log");
        try {
            Files.createDirectories(log.getParent());
            // the launcher's heap and collector (three nodes, Chromium and the test JVM share the machine), and
            // C1 only: a start costs less CPU, which the others need while one node restarts under traffic
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        logs.add(log);
    }

    /** Polls /readyz on the node itself until 200; fails at once if the process ended. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Process current;
            synchronized (this) {
                current = process;
            }
            if (!current.isAlive()) throw new AssertionError(name + " exited with " + current.exitValue() + " during start; see " + logs.getLast());
            try {
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(base() + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                OpenApiResponseValidator.SERVED.assertValid("GET", "/readyz", ready.statusCode(), ready.headers().map(), ready.body());
                if (ready.statusCode() == 200) return;
            } catch (IOException notListeningYet) {
                // polled again below, until the deadline
            }
            if (System.nanoTime() > deadline) throw new AssertionError(name + " not ready within " + timeout + "; see " + logs.getLast());
            Thread.sleep(100);
        }
    }

    /** SIGTERM, then waits for the process to end (drain and graceful stop); returns its exit status. */
    int terminate(Duration timeout) throws InterruptedException {
        Process current;
        synchronized (this) {
            current = process;
        }
        current.destroy();
        if (!current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running " + timeout + " after SIGTERM");
        }
        return current.exitValue();
    }

    /**
     * SIGKILL, as the kernel's OOM killer or a crash ends a process: no shutdown hook runs, nothing is drained or
     * closed (an embedded PostgreSQL it started is left running, for the next start to stop). Waits until it is gone.
     */
    void kill(Duration timeout) throws InterruptedException {
        Process current;
        synchronized (this) {
            current = process;
        }
        current.destroyForcibly();
        if (!current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running " + timeout + " after SIGKILL");
        }
    }

    /** Every access line this node logged, over all its starts, health checks excluded. */
    List<String> requests() {
        return requests(logs);
    }

    /** The access lines of the process running now (or last). */
    List<String> requestsOfCurrentProcess() {
        return requests(List.of(logs.getLast()));
    }

    private static List<String> requests(List<Path> logs) {
        List<String> lines = new ArrayList<>();
        for (Path log : logs) {
            try {
                for (String line : Files.readAllLines(log)) {
                    Matcher access = ACCESS.matcher(line);
                    if (access.find() && !access.group(2).equals("/readyz") && !access.group(2).equals("/healthz")) {
                        lines.add(access.group(1) + " " + access.group(2) + " " + access.group(3));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    Path currentLog() {
        return logs.getLast();
    }

    /** SIGTERM without waiting, so that several nodes drain at the same time. */
    synchronized void signalStop() {
        if (process != null) process.destroy();
    }

    /** Stops what is left, also after a failure half-way: SIGTERM, then SIGKILL if it is still there. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
