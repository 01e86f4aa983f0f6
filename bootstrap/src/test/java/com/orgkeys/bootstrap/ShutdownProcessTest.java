package com.orgkeys.bootstrap;

import com.orgkeys.bootstrap.api.OpenApiResponseValidator;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM to Main in its own process, as a supervisor sends it during a rolling restart. */
class ShutdownProcessTest {
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The status of GET {@code path}, checked against the OpenAPI document; -1 when the connection is refused. */
    static int status(String base, String path) throws Exception {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            OpenApiResponseValidator.SERVED.assertValid("GET", path, response.statusCode(), response.headers().map(),
                    response.body());
            return response.statusCode();
        } catch (ConnectException refused) {
            return -1;
        }
    }

    /**
     * Polls (bounded) until GET {@code path} is no longer {@code current}; returns what it became. A request left
     * unanswered for its 10 s (a starting JVM on a loaded machine) is no change: it is asked again until the deadline.
     */
    static int awaitChange(String base, String path, int current, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                int status = status(base, path);
                if (status != current) return status;
            } catch (HttpTimeoutException unanswered) {
                continue;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(path + " still " + current + " after " + seconds + " s");
    }

    @Test
    void sigterm_drains_then_stops_cleanly_with_orgkeys_stopped_last(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Path log = Path.of("target", "resilience-logs", "shutdown-" + port + "-" + System.nanoTime() + ".log");
        Files.createDirectories(log.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1",
                "DATA_DIR", dir.resolve("data").toString(), "LOG_LEVEL", "info",
                "DATABASE_URL", TestPostgres.environmentValue(TestPostgres.newDatabase()),
                "SHUTDOWN_DRAIN_SECONDS", "5"));
        Process process = builder.start();
        try {
            assertEquals(200, awaitChange(base, "/readyz", -1, 90), "started");

            process.destroy(); // SIGTERM
            assertEquals(503, awaitChange(base, "/readyz", 200, 5), "readiness failed before the port closed");
            assertEquals(200, status(base, "/healthz"), "still serving during the drain");
            assertEquals(-1, awaitChange(base, "/healthz", 200, 30), "the port closed after the drain");

            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exited");
            assertEquals(143, process.exitValue(), "the JVM's status after SIGTERM and its shutdown hooks");
        } finally {
            if (process.isAlive()) process.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList();
        String all = String.join("\n", lines);
        assertTrue(lines.getLast().contains("orgkeys stopped"), all);
        int stopping = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("orgkeys stopping")) stopping = i;
        assertTrue(stopping >= 0, all);
        for (String line : lines.subList(stopping, lines.size())) {
            assertTrue(!line.contains("WARN") && !line.contains("ERROR") && !line.contains("Exception"), line);
        }
    }
}
