package com.orgkeys.bootstrap.security;

import com.orgkeys.bootstrap.api.OpenApiResponseValidator;
import com.orgkeys.bootstrap.Main;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.orgkeys.bootstrap.security.ResilienceTest.awaitStatus;
import static com.orgkeys.bootstrap.security.ResilienceTest.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server in its own JVM with the launcher's heap (-Xmx128m), flooded with unauthenticated 1 MiB
 * sign-ins and sign-ups from many addresses: it must keep answering, and keep nothing of what it was sent.
 */
class MemoryExhaustionTest {
    static final int REQUESTS = 2_000;
    static final int ADDRESSES = 50;
    static final int IN_PARALLEL = 8;
    /** What the heap after a full GC may have grown by: the flood itself must leave nothing behind. */
    static final long HEAP_GROWTH_ALLOWED_KB = 16 * 1024;
    static final Pattern GENERATION_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** ~1 MiB of filler shared by every body (the body limit is 1,048,576 bytes). */
    static final byte[] LETTERS = "a".repeat(1_040_000).getBytes(StandardCharsets.US_ASCII);
    static final byte[] SPACES = " ".repeat(1_040_000).getBytes(StandardCharsets.US_ASCII);

    @Test
    void a_flood_of_one_mebibyte_sign_ins_leaves_the_server_answering_and_its_heap_as_it_was(@TempDir Path dir) throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        Process server = start(dir.resolve("data"), port);
        try {
            String email = "owner@example.com";
            String password = "a long passphrase 77";
            assertEquals(201, post(base, "/api/auth/sign-up", "192.0.2.1",
                    "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"Owner\"}").statusCode());
            for (int i = 0; i < 40; i++) send(base, i); // warm up: every kind of request, classes loaded
            long baseline = heapUsedAfterFullGcKb(server);

            Map<Integer, AtomicInteger> statuses = new TreeMap<>();
            Set<Integer> allowed = Set.of(401, 422, 429);
            long started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(IN_PARALLEL);
            Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
            try {
                List<Future<?>> workers = new ArrayList<>();
                AtomicInteger next = new AtomicInteger();
                for (int w = 0; w < IN_PARALLEL; w++) {
                    workers.add(pool.submit(() -> {
                        for (int i; (i = next.getAndIncrement()) < REQUESTS; ) {
                            counts.computeIfAbsent(send(base, 1000 + i), s -> new AtomicInteger()).incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) worker.get(120, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            statuses.putAll(counts);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(allowed.containsAll(statuses.keySet()), "every request got a 4xx answer: " + statuses);
            assertTrue(server.isAlive(), "the server is still running");

            assertEquals(200, get(base, "/healthz").statusCode());
            assertEquals(200, post(base, "/api/auth/sign-in", "192.0.2.1",
                    "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}").statusCode(), "the owner signs in");
            long after = heapUsedAfterFullGcKb(server);
            System.out.printf("memory flood: %d requests in %d s %s; heap after full GC %d KB before, %d KB after%n",
                    REQUESTS, seconds, statuses, baseline, after);
            assertTrue(after - baseline <= HEAP_GROWTH_ALLOWED_KB,
                    "heap after GC grew from " + baseline + " KB to " + after + " KB");
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    /** Request {@code i}: one of four hostile kinds, from one of {@link #ADDRESSES} forwarded addresses. */
    static int send(String base, int i) {
        String address = "198.51.100." + (i % ADDRESSES + 1);
        HttpRequest.BodyPublisher body = switch (i % 20 == 0 ? 3 : i % 3) {
            // an email of 1 MiB (what the throttle used to keep for 15 minutes)
            case 0 -> HttpRequest.BodyPublishers.concat(text("{\"email\":\"u" + i), bytes(LETTERS),
                    text("@example.com\",\"password\":\"whatever password\"}"));
            // a password of 1 MiB
            case 1 -> HttpRequest.BodyPublishers.concat(text("{\"email\":\"u" + i + "@example.com\",\"password\":\""),
                    bytes(LETTERS), text("\"}"));
            // a sign-up with a name of 1 MiB
            case 2 -> HttpRequest.BodyPublishers.concat(text("{\"email\":\"s" + i + "@example.com\",\"password\":"
                    + "\"a long passphrase 77\",\"name\":\""), bytes(LETTERS), text("\"}"));
            // well-formed fields padded with 1 MiB of whitespace: reaches the throttle and the password hash
            default -> HttpRequest.BodyPublishers.concat(text("{\"email\":\"p" + i + "@example.com\",\"password\":"
                    + "\"wrong password " + i + "\"}"), bytes(SPACES));
        };
        String path = i % 20 != 0 && i % 3 == 2 ? "/api/auth/sign-up" : "/api/auth/sign-in";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                .POST(body).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return -1;
        }
        return validated("POST", path, response).statusCode();
    }

    static HttpRequest.BodyPublisher text(String s) {
        return HttpRequest.BodyPublishers.ofString(s);
    }

    static HttpRequest.BodyPublisher bytes(byte[] b) {
        return HttpRequest.BodyPublishers.ofByteArray(b);
    }

    static HttpResponse<String> post(String base, String path, String address, String json) throws Exception {
        return validated("POST", path, client.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    static HttpResponse<String> get(String base, String path) throws Exception {
        return validated("GET", path, client.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Every answer, the flood's included, must be one the OpenAPI document describes. */
    static HttpResponse<String> validated(String method, String path, HttpResponse<String> response) {
        OpenApiResponseValidator.SERVED.assertValid(method, path, response.statusCode(), response.headers().map(),
                response.body());
        return response;
    }

    /**
     * Main in its own JVM with the launcher's heap and collector, behind a "proxy" on loopback, on a fresh
     * database of the test PostgreSQL (an embedded one of its own would add an initdb to the test's time).
     */
    static Process start(Path dataDir, int port) throws Exception {
        DatabaseUrl database = TestPostgres.newDatabase();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Path.of("target", "resilience-logs", "memory-" + port + "-" + System.nanoTime() + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("DATA_DIR", dataDir.toString(), "PORT", Integer.toString(port),
                "HOST", "127.0.0.1", "LOG_LEVEL", "warn", "TRUSTED_PROXIES", "127.0.0.1/32",
                "DATABASE_URL", TestPostgres.environmentValue(database)));
        Process process = builder.start();
        awaitStatus("http://127.0.0.1:" + port, "/readyz", 200, 90);
        return process;
    }

    /** The heap in use right after a full collection, as the JDK's own jcmd reports it (Serial: both generations). */
    static long heapUsedAfterFullGcKb(Process server) throws Exception {
        jcmd(server, "GC.run");
        Matcher used = GENERATION_USED.matcher(jcmd(server, "GC.heap_info"));
        long total = 0;
        int generations = 0;
        while (used.find()) {
            total += Long.parseLong(used.group(1));
            generations++;
        }
        assertEquals(2, generations, "young and old generation in the heap info");
        return total;
    }

    static String jcmd(Process server, String command) throws Exception {
        Path javaHome = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent();
        Process jcmd = new ProcessBuilder(javaHome.resolve("jcmd").toString(), Long.toString(server.pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS), "jcmd " + command + " did not end");
        assertEquals(0, jcmd.exitValue(), output);
        return output;
    }
}
