package com.orgkeys.bootstrap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orgkeys.bootstrap.api.LoggedMails;
import com.orgkeys.bootstrap.api.OpenApiResponseValidator;
import com.orgkeys.bootstrap.browser.Browser;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three orgkeys processes on one PostgreSQL behind HAProxy (round-robin, no sticky sessions), as docs/operations.md
 * describes a multi-node deployment: the dashboard works with consecutive requests on different nodes, the sign-in
 * throttle allows through the balancer what it allows on one node, and a rolling restart under steady API-key
 * traffic fails no request and loses no write.
 */
class ClusterTest {
    static final int NODES = 3;
    /** Longer than HAProxy needs to see a stopping node's first 503 (checks every 250 ms, out at the first failure). */
    static final int DRAIN_SECONDS = 2;
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final ObjectMapper json = new ObjectMapper();
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path directory;
    static DatabaseUrl database;
    static final List<Node> nodes = new ArrayList<>();
    static Haproxy haproxy;
    static String balancer;

    @BeforeAll
    static void startCluster() throws Exception {
        Haproxy.requireInstalled(Haproxy.BINARY);
        database = TestPostgres.newDatabase();
        int port = freePort();
        balancer = "http://127.0.0.1:" + port;
        Map<String, String> environment = Map.of(
                "DATABASE_URL", TestPostgres.environmentValue(database),
                "BASE_URL", balancer,
                // HAProxy's X-Forwarded-For names the client: the throttle and the audit see it, not the balancer
                "TRUSTED_PROXIES", "127.0.0.1",
                "SHUTDOWN_DRAIN_SECONDS", Integer.toString(DRAIN_SECONDS));
        for (int i = 1; i <= NODES; i++) nodes.add(new Node("node" + i, freePort(), environment));
        nodes.forEach(Node::start); // at once, on an empty database: the first deployment of a cluster
        for (Node node : nodes) node.awaitReady(START_TIMEOUT);
        haproxy = Haproxy.start(directory, port, freePort(), nodes);
        for (Node node : nodes) haproxy.awaitStatus(node.name, "UP", Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            if (haproxy != null) haproxy.close();
        } finally {
            nodes.forEach(Node::signalStop); // all drain at once, then each is waited for (and killed if it must)
            for (Node node : nodes) node.close();
        }
    }

    @Test
    void the_dashboard_works_with_consecutive_requests_landing_on_different_nodes() throws Exception {
        long before = lastCounter();
        List<Integer> nodeRequestsBefore = nodes.stream().map(node -> node.requests().size()).toList();
        String keyName = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
        String secret;
        try (Browser browser = new Browser(balancer)) {
            browser.open("/sign-up");
            browser.type("#name", "Clustered");
            browser.type("#email", keyName + "@example.com");
            browser.type("#password", "correct horse battery staple");
            browser.click("#sign-up");
            browser.waitForPath("/organizations/new");
            browser.open("/verify-email"); // the code from the mail, which a node without SMTP_URL logged
            browser.type("#verification-code", LoggedMails.verificationCode(keyName + "@example.com"));
            browser.click("#confirm-code");
            browser.waitForPath("/organizations/new");
            browser.type("#org-name", "Cluster");
            browser.click("#create-org");
            browser.waitForPath("/settings");
            browser.waitForText("#notice", "Organization created.");
            browser.open("/settings/api-keys/new");
            browser.type("#key-name", keyName);
            browser.click("#create-key");
            secret = browser.find("#secret").getText();
            for (int i = 0; i < NODES; i++) assertEquals(200, send(balancer, "GET", "/api/whoami", secret, null).status());
            browser.click("#done");
            browser.waitForPath("/settings/api-keys");
            browser.find("tr[data-key='" + keyName + "'] .revoke-key").click();
            browser.type("#revoke-reason", "rotated");
            browser.click("#confirm-revoke");
            browser.waitForText("#notice", "API key revoked.");
        }

        List<Haproxy.Logged> flow = awaitLogged(before);
        List<String> order = flow.stream().map(r -> r.node() + " " + r.method() + " " + r.uri() + " " + r.status()).toList();
        for (int i = 1; i < flow.size(); i++) {
            assertFalse(flow.get(i).node().equals(flow.get(i - 1).node()), "two requests in a row on one node: " + order);
        }
        Map<String, Long> perNode = flow.stream().collect(Collectors.groupingBy(Haproxy.Logged::node, Collectors.counting()));
        assertEquals(nodes.stream().map(n -> n.name).collect(Collectors.toSet()), perNode.keySet(), order.toString());
        // the forms: a page rendered by one node, posted to another, which accepted its form token
        int crossed = 0;
        for (int i = 0; i < flow.size(); i++) {
            Haproxy.Logged post = flow.get(i);
            if (!post.method().equals("POST")) continue;
            assertTrue(post.status() >= 200 && post.status() < 400, "form refused: " + order);
            Haproxy.Logged page = null;
            for (int j = i - 1; j >= 0 && page == null; j--) {
                Haproxy.Logged earlier = flow.get(j);
                if (earlier.method().equals("GET") && !earlier.uri().startsWith("/static/") && !earlier.uri().startsWith("/api/")
                        && !earlier.uri().startsWith("/favicon")) page = earlier;
            }
            if (page != null && !page.node().equals(post.node())) crossed++;
        }
        assertTrue(crossed >= 2, "forms posted to another node than the one that rendered them: " + crossed + " in " + order);
        // and each node's own access log has exactly the requests HAProxy says it sent there
        for (int i = 0; i < NODES; i++) {
            Node node = nodes.get(i);
            long expected = perNode.get(node.name);
            int from = nodeRequestsBefore.get(i);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (node.requests().size() - from < expected && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(expected, node.requests().size() - from, node.name + "'s access log against " + order);
        }

        // the revocation, made through one node, holds on every node
        for (Node node : nodes) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int status;
            while ((status = send(node.base(), "GET", "/api/whoami", secret, null).status()) != 401 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(401, status, "revoked key still accepted by " + node.name);
        }
    }

    @Test
    void the_sign_in_throttle_allows_as_many_attempts_through_the_balancer_as_on_one_node() throws Exception {
        String direct = "direct-" + UUID.randomUUID() + "@example.com";
        String balanced = "balanced-" + UUID.randomUUID() + "@example.com";
        for (String email : List.of(direct, balanced)) {
            assertEquals(201, send(balancer, "POST", "/api/auth/sign-up", null, null,
                    Map.of("email", email, "password", password(email), "name", "T")).status());
        }
        // each measurement from its own client address (forwarded by a trusted proxy: the test itself, or HAProxy)
        int onOneNode = wrongGuessesChecked(nodes.getFirst().base(), direct, "203.0.113.10");
        int throughBalancer = wrongGuessesChecked(balancer, balanced, "203.0.113.20");
        assertTrue(onOneNode > 0, "one node checked no guess at all");
        assertEquals(onOneNode, throughBalancer, "wrong guesses checked before 429: one node " + onOneNode + ", balancer " + throughBalancer);
        // the limit is the guesser's: the owner, elsewhere, still signs in through the balancer
        assertEquals(200, send(balancer, "POST", "/api/auth/sign-in", null, "198.51.100.7",
                Map.of("email", balanced, "password", password(balanced))).status());

        // sign-ups per address: probing a registered email costs no password hash
        String taken = "taken-" + UUID.randomUUID() + "@example.com";
        Map<String, Object> signUp = Map.of("email", taken, "password", password(taken), "name", "T");
        assertEquals(201, send(balancer, "POST", "/api/auth/sign-up", null, "203.0.113.30", signUp).status());
        int signUpsOnOneNode = 1 + signUpsUntilLimited(nodes.getFirst().base(), signUp, "203.0.113.31");
        int signUpsThroughBalancer = 1 + signUpsUntilLimited(balancer, signUp, "203.0.113.32");
        assertEquals(signUpsOnOneNode, signUpsThroughBalancer, "sign-ups before 429");
    }

    @Test
    void a_rolling_restart_under_api_key_traffic_fails_no_request_and_loses_no_write() throws Exception {
        String email = "rolling-" + UUID.randomUUID() + "@example.com";
        Reply signUp = send(balancer, "POST", "/api/auth/sign-up", null, null, Map.of("email", email, "password", password(email), "name", "R"));
        assertEquals(201, signUp.status());
        String cookie = signUp.cookie();
        assertEquals(204, sendWithSession(balancer, "POST", "/api/auth/verify-email", cookie,
                Map.of("code", LoggedMails.verificationCode(email))).status());
        assertEquals(201, sendWithSession(balancer, "POST", "/api/organizations", cookie, Map.of("name", "Rolling")).status());
        Reply key = sendWithSession(balancer, "POST", "/api/api-keys", cookie, Map.of("name", "traffic"));
        assertEquals(201, key.status());
        String secret = key.body().get("secret").asText();
        String organizationId = key.body().get("organizationId").asText();
        Reply seeded = send(balancer, "POST", "/api/agents", secret, null, Map.of("name", "seed", "model", "m"));
        assertEquals(201, seeded.status());
        String seedId = seeded.body().get("id").asText();

        Traffic done = new Traffic(secret, seedId);
        try {
            done.awaitAcknowledged(20);
            for (Node node : nodes) {
                int acknowledged = done.acknowledged.size();
                node.terminate(Duration.ofSeconds(DRAIN_SECONDS + 30));
                node.start();
                node.awaitReady(START_TIMEOUT);
                haproxy.awaitStatus(node.name, "UP", Duration.ofSeconds(30));
                done.awaitAcknowledged(acknowledged + 20);
            }
            done.awaitAcknowledged(done.acknowledged.size() + 20); // the last node restarted takes its share too
        } finally {
            done.close();
        }

        assertTrue(done.failures.isEmpty(), done.failures.size() + " failed of " + done.sent.get() + ": "
                + done.failures.stream().limit(10).toList());
        Set<String> stored = new HashSet<>();
        try (Connection connection = TestPostgres.connect(database);
             PreparedStatement query = connection.prepareStatement("SELECT id FROM agents WHERE organization_id = ?::uuid")) {
            query.setString(1, organizationId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) stored.add(rows.getString(1));
            }
        }
        Set<String> expected = new HashSet<>(done.acknowledged);
        expected.add(seedId);
        Set<String> lost = new HashSet<>(expected);
        lost.removeAll(stored);
        assertTrue(lost.isEmpty(), lost.size() + " acknowledged writes lost of " + expected.size());
        assertEquals(expected, stored, "every stored agent was acknowledged");
        System.out.println("rolling restart: " + done.sent.get() + " requests, " + done.acknowledged.size() + " writes, 0 failed");
        // each restarted process served its share of the traffic (its access log is written in the background:
        // read it again until the line is there, for at most 10 s)
        for (Node node : nodes) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean served;
            while (!(served = node.requestsOfCurrentProcess().stream().anyMatch(line -> line.startsWith("POST /api/agents ")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(served, node.name + " served no write after its restart; see " + node.currentLog());
        }
    }

    /** Verifications (GET of an agent with the key) and writes (new agents), each stream at a steady rate. */
    static final class Traffic {
        static final int STREAMS_PER_KIND = 2;
        static final Duration PERIOD = Duration.ofMillis(25);
        /** A bound on each stream, whatever happens to the test: 40 requests a second for 5 minutes. */
        static final int MAX_PER_STREAM = 12_000;

        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger sent = new AtomicInteger();
        private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(2 * STREAMS_PER_KIND);

        Traffic(String secret, String agentId) {
            for (int s = 0; s < STREAMS_PER_KIND; s++) {
                AtomicInteger reads = new AtomicInteger();
                pool.scheduleAtFixedRate(() -> {
                    if (reads.incrementAndGet() > MAX_PER_STREAM) return;
                    sent.incrementAndGet();
                    Reply reply = send(balancer, "GET", "/api/agents/" + agentId, secret, null);
                    if (reply.status() != 200) failures.add("GET " + reply);
                }, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
                AtomicInteger writes = new AtomicInteger();
                pool.scheduleAtFixedRate(() -> {
                    if (writes.incrementAndGet() > MAX_PER_STREAM) return;
                    sent.incrementAndGet();
                    String id = UUID.randomUUID().toString();
                    Reply reply = send(balancer, "POST", "/api/agents", secret, null, Map.of("id", id, "name", "rolling", "model", "m"));
                    if (reply.status() == 201) acknowledged.add(id);
                    else failures.add("POST " + reply);
                }, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        void awaitAcknowledged(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < count) {
                if (System.nanoTime() > deadline) throw new AssertionError("writes stalled at " + acknowledged.size() + "; failures " + failures);
                Thread.sleep(20);
            }
        }

        /** Stops scheduling and waits for the requests in flight (each has a 20 s timeout). */
        void close() throws InterruptedException {
            pool.shutdown();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                throw new AssertionError("traffic did not stop");
            }
        }
    }

    record Reply(int status, JsonNode body, String raw, String cookie) {
        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    /** A request with an API key or none; {@code forwardedFor} claims a client address (the test is a trusted proxy). */
    static Reply send(String base, String method, String path, String bearer, String forwardedFor) {
        return send(base, method, path, bearer, forwardedFor, null);
    }

    static Reply send(String base, String method, String path, String bearer, String forwardedFor, Object body) {
        return exchange(base, method, path, bearer, forwardedFor, null, body);
    }

    static Reply sendWithSession(String base, String method, String path, String cookie, Object body) {
        return exchange(base, method, path, null, null, cookie, body);
    }

    /** Any transport failure or answer outside the OpenAPI document is a reply with status -1 that says why. */
    private static Reply exchange(String base, String method, String path, String bearer, String forwardedFor, String cookie, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                    .header("Origin", balancer);
            if (bearer != null) request.header("Authorization", "Bearer " + bearer);
            if (forwardedFor != null) request.header("X-Forwarded-For", forwardedFor);
            if (cookie != null) request.header("Cookie", cookie);
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            List<String> invalid = OpenApiResponseValidator.SERVED.validate(method, path, response.statusCode(),
                    response.headers().map(), response.body());
            if (!invalid.isEmpty()) return new Reply(-1, json.nullNode(), "not as documented: " + invalid, null);
            String setCookie = response.headers().firstValue("Set-Cookie").map(c -> c.split(";")[0]).orElse(null);
            JsonNode parsed = response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
            return new Reply(response.statusCode(), parsed, response.body(), setCookie);
        } catch (Exception e) {
            return new Reply(-1, json.nullNode(), e.toString(), null);
        }
    }

    static String password(String email) {
        return "correct horse battery " + email;
    }

    /** Wrong passwords for {@code email} until the first 429: how many were checked (401). */
    static int wrongGuessesChecked(String base, String email, String client) {
        for (int guess = 0; guess < 30; guess++) {
            Reply reply = send(base, "POST", "/api/auth/sign-in", null, client, Map.of("email", email, "password", "wrong guess " + guess));
            if (reply.status() == 429) return guess;
            assertEquals(401, reply.status(), reply.toString());
        }
        throw new AssertionError("30 wrong guesses and no 429 on " + base);
    }

    /** Sign-ups of an already registered email until the first 429: how many were let through (409). */
    static int signUpsUntilLimited(String base, Map<String, Object> signUp, String client) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Reply reply = send(base, "POST", "/api/auth/sign-up", null, client, signUp);
            if (reply.status() == 429) return attempt;
            assertEquals(409, reply.status(), reply.toString());
        }
        throw new AssertionError("100 sign-ups and no 429 on " + base);
    }

    static long lastCounter() {
        return haproxy.requests().stream().mapToLong(Haproxy.Logged::counter).max().orElse(-1);
    }

    /** HAProxy's log after {@code counter}, once it stops growing (it writes a line as each answer ends). */
    static List<Haproxy.Logged> awaitLogged(long counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Haproxy.Logged> logged = List.of();
        while (System.nanoTime() < deadline) {
            List<Haproxy.Logged> now = haproxy.requests().stream().filter(r -> r.counter() > counter).toList();
            if (!now.isEmpty() && now.size() == logged.size()) return now;
            logged = now;
            Thread.sleep(200);
        }
        return logged;
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
