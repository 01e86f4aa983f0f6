package com.orgkeys.bootstrap;

import com.orgkeys.bootstrap.api.OpenApiResponseValidator;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Main in its own JVM, as the launcher runs it: every line it logs reaches standard output whole and in the
 * documented format, from however many threads, and its shutdown hook's line is written, last.
 */
class LoggingProcessTest {
    static final int REQUESTS = 2_000;
    static final int IN_PARALLEL = 16;
    /** ISO timestamp with milliseconds and offset, level, logger, message. */
    static final Pattern LINE = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}[+-]\\d{4} (TRACE|DEBUG|INFO|WARN|ERROR) [\\w.$]+ - .*");
    static final Pattern HEALTH_ACCESS = Pattern.compile(
            ".* INFO http - GET /healthz 200 \\d+ms rid=[\\w-]+");

    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void lines_from_many_threads_reach_stdout_whole_and_the_stop_line_is_written_last(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        // where ./orgkeys test scans for secrets
        Path stdout = Path.of("target", "resilience-logs", "logging-" + port + "-" + System.nanoTime() + ".log");
        Path stderr = Path.of(stdout + ".stderr.log");
        Files.createDirectories(stdout.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(Map.of("DATA_DIR", dir.resolve("data").toString(), "PORT", Integer.toString(port),
                "HOST", "127.0.0.1", "LOG_LEVEL", "info",
                "DATABASE_URL", TestPostgres.environmentValue(TestPostgres.newDatabase())));
        Process server = builder.start();
        try {
            awaitReady(base, server);
            ExecutorService pool = Executors.newFixedThreadPool(IN_PARALLEL);
            try {
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < IN_PARALLEL; w++) {
                    workers.add(pool.submit(() -> {
                        while (next.getAndIncrement() < REQUESTS) assertEquals(200, get(base, "/healthz").statusCode());
                        return null;
                    }));
                }
                for (Future<?> worker : workers) worker.get(120, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            // the server logs a request after answering it: wait until the last of them is written
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (healthAccessLines(Files.readAllLines(stdout)) < REQUESTS && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "stopped within the grace period");
            assertEquals(143, server.exitValue(), "ended by SIGTERM, through the shutdown hooks");

            List<String> lines = Files.readAllLines(stdout);
            for (String line : lines) assertTrue(LINE.matcher(line).matches(), "not one whole log line: " + line);
            assertEquals(REQUESTS, healthAccessLines(lines), "every request logged once");
            assertEquals(1, lines.stream().filter(line -> line.contains(
                    " WARN com.orgkeys.bootstrap.Application - mail: SMTP_URL is not set, so mail is only written")).count(),
                    "without SMTP_URL, said once at start that mail is only logged");
            assertTrue(lines.getLast().endsWith(" INFO com.orgkeys.bootstrap.Main - orgkeys stopped"),
                    "the shutdown hook's line is written, last: " + lines.getLast());
            // one slf4j provider on the class path
            String errors = Files.readString(stderr);
            assertFalse(errors.contains("SLF4J"), errors);
        } finally {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static long healthAccessLines(List<String> lines) {
        return lines.stream().filter(line -> HEALTH_ACCESS.matcher(line).matches()).count();
    }

    static void awaitReady(String base, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            assertTrue(server.isAlive(), "the server exited during start");
            try {
                if (get(base, "/readyz").statusCode() == 200) return;
            } catch (java.io.IOException notListeningYet) {
                // try again until the deadline
            }
            if (System.nanoTime() > deadline) throw new AssertionError("not ready within 90 s");
            Thread.sleep(100);
        }
    }

    static HttpResponse<String> get(String base, String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        OpenApiResponseValidator.SERVED.assertValid("GET", path, response.statusCode(), response.headers().map(),
                response.body());
        return response;
    }
}
