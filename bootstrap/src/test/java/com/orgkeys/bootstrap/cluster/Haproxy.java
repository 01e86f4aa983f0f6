package com.orgkeys.bootstrap.cluster;

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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's HAProxy in front of the nodes, round-robin without stickiness, configured the way docs/operations.md
 * recommends for rolling restarts: an active check of /readyz that takes a node out at its first 503, and a
 * retry on another node for a request whose connection failed or was closed before any answer. Runs in the
 * foreground, logging one line per request (request counter, node, method, URI, status) to a file.
 */
final class Haproxy implements AutoCloseable {
    static final String BINARY = System.getProperty("orgkeys.haproxy", "/usr/sbin/haproxy");
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** One proxied request, as HAProxy logged it; {@code node} is {@code <NOSRV>} when none was chosen. */
    record Logged(long counter, String node, String method, String uri, int status) {
    }

    final int port;
    private final int statsPort;
    private final Path log;
    private final Process process;

    private Haproxy(int port, int statsPort, Path log, Process process) {
        this.port = port;
        this.statsPort = statsPort;
        this.log = log;
        this.process = process;
    }

    static Haproxy start(Path directory, int port, int statsPort, List<Node> nodes) throws IOException {
        requireInstalled(BINARY);
        StringBuilder servers = new StringBuilder();
        for (Node node : nodes) servers.append("    server ").append(node.name).append(" 127.0.0.1:").append(node.port).append(" check\n");
        String config = """
                global
                    log stdout format raw local0 info
                    nbthread 1
                    maxconn 1000

                defaults
                    mode http
                    log global
                    log-format "%rt %s %HM %HU %ST"
                    # not the connections Chromium opens ahead of need and closes unused
                    option dontlognull
                    option forwardfor
                    # a request whose connection failed, or was closed before any answer, goes to another node
                    retries 3
                    retry-on conn-failure empty-response
                    option redispatch 1
                    timeout connect 2s
                    timeout client 30s
                    timeout server 30s
                    timeout check 2s
                    # a node leaves at its first failed check and comes back at its first passed one
                    default-server inter 250ms fall 1 rise 1

                frontend orgkeys
                    bind 127.0.0.1:{port}
                    default_backend nodes

                backend nodes
                    balance roundrobin
                    option httpchk
                    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1
                    http-check expect status 200
                {servers}
                listen stats
                    bind 127.0.0.1:{statsPort}
                    stats enable
                    stats uri /stats
                """.replace("{port}", Integer.toString(port)).replace("{servers}", servers)
                .replace("{statsPort}", Integer.toString(statsPort));
        Path file = directory.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Path log = Path.of("target", "resilience-logs", "cluster-haproxy-" + System.nanoTime() + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(BINARY, "-db", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Haproxy(port, statsPort, log, process);
    }

    /** Fails with one line naming the package, like the browser tests do for Chromium. */
    static void requireInstalled(String binary) {
        if (Files.isExecutable(Path.of(binary))) return;
        IllegalStateException missing = new IllegalStateException("the cluster test needs Debian's haproxy (missing: "
                + binary + "): apt-get install haproxy");
        missing.setStackTrace(new StackTraceElement[0]);
        throw missing;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The check status of each node ({@code UP}, {@code DOWN}, …), from the stats page's CSV. */
    Map<String, String> statuses() throws IOException, InterruptedException {
        HttpResponse<String> csv = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        List<String> lines = csv.body().lines().toList();
        List<String> columns = Arrays.asList(lines.getFirst().replaceFirst("^# ", "").split(","));
        int proxy = columns.indexOf("pxname");
        int server = columns.indexOf("svname");
        int status = columns.indexOf("status");
        Map<String, String> statuses = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            if (fields.length > status && fields[proxy].equals("nodes") && !fields[server].equals("BACKEND")) {
                statuses.put(fields[server], fields[status]);
            }
        }
        return statuses;
    }

    /** Polls the stats page until {@code node} has {@code status} in the balancer's eyes. */
    void awaitStatus(String node, String status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (true) {
            if (!process.isAlive()) throw new AssertionError("haproxy exited: " + read(log));
            try {
                last = statuses().getOrDefault(node, "absent");
                if (last.equals(status)) return;
            } catch (IOException notListeningYet) {
                // polled again below, until the deadline
            }
            if (System.nanoTime() > deadline) throw new AssertionError(node + " is " + last + " in haproxy after " + timeout + ", wanted " + status);
            Thread.sleep(50);
        }
    }

    /** The requests proxied so far, in the order HAProxy received them (its counter also counts health checks). */
    List<Logged> requests() {
        List<Logged> requests = new ArrayList<>();
        for (String line : read(log).lines().toList()) {
            String[] fields = line.split(" ");
            // left out: the test's own looks at the stats page (<STATS>), and connections closed before a whole
            // request arrived (<BADREQ>: a browser's spare connection closed at exit sends nothing)
            if (fields.length == 5 && fields[0].matches("\\d+") && fields[4].matches("-?\\d+")
                    && !fields[1].equals("<STATS>") && !fields[2].equals("<BADREQ>")) {
                requests.add(new Logged(Long.parseLong(fields[0]), fields[1], fields[2], fields[3], Integer.parseInt(fields[4])));
            }
        }
        requests.sort(java.util.Comparator.comparingLong(Logged::counter));
        return requests;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
