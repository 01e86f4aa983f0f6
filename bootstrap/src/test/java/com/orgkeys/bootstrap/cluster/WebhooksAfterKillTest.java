package com.orgkeys.bootstrap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orgkeys.application.webhook.service.WebhookDeliveryService;
import com.orgkeys.bootstrap.api.LoggedMails;
import com.orgkeys.bootstrap.api.OpenApiResponseValidator;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.testing.TestPostgres;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24's crash test: orgkeys in its own JVM is killed with SIGKILL while webhook deliveries are in flight (each
 * request has reached the receiver, the node has not seen the answer) and others wait unclaimed, then started again
 * on the same database. Every event recorded reaches the receiver, verified with the standardwebhooks library, and
 * none is lost: the in-flight ones twice, with the same webhook-id (the receiver's de-duplication key), every other
 * one once. On a shared database (DATABASE_URL) the restarted node cannot tell the dead process's leases from a live
 * node's and sends those deliveries again when the lease ends; on the embedded one (DATA_DIR, locked: one process)
 * every lease at start was a dead process's, and they go again at once.
 */
class WebhooksAfterKillTest {
    /** Events delivered and recorded before the crash: never sent again. */
    static final int ANSWERED = 5;
    /** WebhookWorker.IN_FLIGHT, every sending slot of the node: the receiver holds them all when it is killed. */
    static final int IN_FLIGHT = 64;
    /** Events committed while every slot is taken: unclaimed when the node dies. */
    static final int WAITING = 6;
    /** The first start unpacks PostgreSQL and makes its cluster; the second one first stops the orphaned server. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    static final String RESUMED = "webhooks: " + IN_FLIGHT + " deliveries a previous process had not finished are sent again now";
    static final ObjectMapper json = new ObjectMapper();
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Where the test reads the node's database: the embedded server's address changes with each start. */
    interface DatabaseAt {
        DatabaseUrl url() throws IOException;
    }

    @Test
    void on_the_embedded_database_the_restarted_node_sends_the_deliveries_in_flight_again_at_once(@TempDir Path dir)
            throws Exception {
        Path dataDir = dir.resolve("data");
        try {
            Restarted restarted = killedWithDeliveriesInFlightThenRestarted(Map.of("DATA_DIR", dataDir.toString()),
                    () -> embeddedUrl(dataDir), Optional.of(dataDir));
            assertTrue(Files.readString(restarted.log()).contains(RESUMED), "see " + restarted.log());
        } finally {
            stopPostmaster(dataDir); // after a failure half-way, so that no PostgreSQL outlives the test
        }
    }

    @Test
    void on_a_shared_database_the_restarted_node_sends_them_again_when_their_lease_ends() throws Exception {
        DatabaseUrl database = TestPostgres.newDatabase();
        Restarted restarted = killedWithDeliveriesInFlightThenRestarted(Map.of("DATABASE_URL",
                TestPostgres.environmentValue(database)), () -> database, Optional.empty());
        assertFalse(Files.readString(restarted.log()).contains("deliveries a previous process had not finished"));
        // claimed after their keys were asked for: leased until LEASE after that at the earliest
        Instant leasesEnded = restarted.inFlightAskedFor().plus(WebhookDeliveryService.LEASE);
        assertEquals(List.of(), restarted.sentAgain().stream().filter(copy -> copy.at().isBefore(leasesEnded)).toList(),
                "sent again before the lease ended");
    }

    /** The restarted node's log, the copies of the in-flight events that it sent, when the test made those events. */
    record Restarted(Path log, List<Receiver.Delivery> sentAgain, Instant inFlightAskedFor) {
    }

    /**
     * Starts a node on {@code database}, makes events, kills it with deliveries in flight and others unclaimed,
     * starts it again, checks what the receiver got and the database says, and stops it (SIGTERM).
     */
    private static Restarted killedWithDeliveriesInFlightThenRestarted(Map<String, String> database, DatabaseAt at,
                                                                       Optional<Path> dataDir) throws Exception {
        int port = ClusterTest.freePort();
        String base = "http://127.0.0.1:" + port;
        Map<String, String> environment = new HashMap<>(database);
        environment.putAll(Map.of("BASE_URL", base, "WEBHOOKS_ALLOW_PRIVATE", "true"));
        Node node = new Node("webhooks-killed", port, environment);
        try (Receiver receiver = new Receiver(); node) {
            node.start();
            node.awaitReady(START_TIMEOUT);
            Client admin = new Client(base);
            String email = "killed-" + port + "-" + System.nanoTime() + "@example.com";
            admin.expect(201, "POST", "/api/auth/sign-up", Map.of("email", email,
                    "password", "correct horse battery staple", "name", "Crash"));
            admin.expect(204, "POST", "/api/auth/verify-email", Map.of("code", LoggedMails.verificationCode(email)));
            admin.expect(201, "POST", "/api/organizations", Map.of("name", "Crash Inc"));
            String endpoint = admin.expect(201, "POST", "/api/webhooks/endpoints", Map.of("url", receiver.url(),
                    "description", "crash receiver", "eventTypes", List.of("apiKey.created"))).get("id").asText();
            receiver.secret = admin.expect(200, "GET", "/api/webhooks/endpoints/" + endpoint + "/secret", null)
                    .get("secret").asText();

            List<String> answered = createKeys(admin, "answered", ANSWERED);
            awaitStates(at, endpoint, Map.of(State.DELIVERED, ANSWERED), Duration.ofSeconds(30));

            receiver.holding = true;
            Instant inFlightAskedFor = Instant.now();
            List<String> inFlight = createKeys(admin, "in-flight", IN_FLIGHT);
            receiver.awaitHeld(IN_FLIGHT, Duration.ofSeconds(30));
            List<String> waiting = createKeys(admin, "waiting", WAITING);
            Map<State, Integer> atTheKill = Map.of(State.DELIVERED, ANSWERED, State.IN_FLIGHT, IN_FLIGHT,
                    State.UNCLAIMED, WAITING);
            // the node sends nothing more (its slots are taken) and records nothing (the receiver holds every
            // answer, within the sender's 15 s timeout)
            awaitStates(at, endpoint, atTheKill, Duration.ofSeconds(5));
            Optional<Long> orphan = dataDir.isEmpty() ? Optional.empty()
                    : Optional.of(postmaster(dataDir.get()).orElseThrow().pid());

            node.kill(Duration.ofSeconds(30));
            assertEquals(atTheKill, states(at, endpoint), "the killed node recorded no answer (on the embedded "
                    + "database, read through its PostgreSQL, which outlives it)");
            assertEquals(IN_FLIGHT, receiver.deliveries.size() - ANSWERED, "no request reached the receiver but "
                    + "the ones in flight");
            receiver.holding = false;
            receiver.release.countDown(); // the answers go to closed connections: nobody reads them

            node.start(); // on the same database, as a supervisor restarts it
            node.awaitReady(START_TIMEOUT);
            if (orphan.isPresent()) {
                assertFalse(ProcessHandle.of(orphan.get()).map(ProcessHandle::isAlive).orElse(false),
                        "the killed node's PostgreSQL was stopped by the next start");
                awaitLogged(node, "Stopping an orphaned embedded PostgreSQL");
            }
            // each in-flight delivery is sent again and each unclaimed one for the first time: at the latest when
            // the lease ends, plus the time to send, plus one more lease for a send whose outcome could not be
            // recorded (a restarting node on a loaded machine may find its pool busy: at least once, as documented)
            int total = ANSWERED + IN_FLIGHT + WAITING;
            awaitAllSucceeded(at, endpoint, total, WebhookDeliveryService.LEASE.multipliedBy(2).plusSeconds(60));

            assertEquals(List.of(), receiver.refused, "every request verified");
            Map<String, List<Receiver.Delivery>> byKey = receiver.deliveries.stream()
                    .collect(Collectors.groupingBy(Receiver.Delivery::keyId));
            Set<String> created = new HashSet<>(answered);
            created.addAll(inFlight);
            created.addAll(waiting);
            assertEquals(created, byKey.keySet(), "every key created has its apiKey.created, none lost");
            Map<String, Row> rows = rows(at, endpoint);
            assertEquals(rows.keySet(), receiver.deliveries.stream().map(Receiver.Delivery::webhookId)
                    .collect(Collectors.toSet()), "every event recorded arrived, and nothing else");
            List<Receiver.Delivery> copies = new ArrayList<>();
            int unrecordedClaims = 0;
            for (String key : created) {
                List<Receiver.Delivery> received = byKey.get(key);
                boolean wasInFlight = inFlight.contains(key);
                assertEquals(1, received.stream().map(Receiver.Delivery::webhookId).distinct().count(),
                        "one webhook-id for every copy of " + key);
                assertEquals(1, received.stream().map(Receiver.Delivery::body).distinct().count(),
                        "one event body for every copy of " + key);
                assertEquals("apiKey.created", received.getFirst().type());
                Row row = rows.get(received.getFirst().webhookId());
                assertEquals(1, row.recorded(), "one outcome recorded, the success: " + row);
                // a copy needs a claim, and a claim whose outcome was recorded sent one copy: so a second copy
                // only where a claim's outcome never was (the ones in flight at the kill)
                assertTrue(received.size() <= row.attempts(), key + ": " + received.size() + " copies, " + row);
                unrecordedClaims += row.attempts() - row.recorded();
                if (wasInFlight) {
                    assertTrue(received.size() >= 2 && received.getFirst().held(), "held, then sent again: " + received);
                    copies.addAll(received.subList(1, received.size()));
                } else {
                    assertTrue(received.stream().noneMatch(Receiver.Delivery::held), received.toString());
                }
                assertTrue(received.subList(1, received.size()).stream().noneMatch(Receiver.Delivery::held));
            }
            // normally none but the in-flight ones; each other one is a send the node could not record (logged)
            System.out.println("webhooks after a kill: " + total + " events, " + receiver.deliveries.size()
                    + " requests received, " + unrecordedClaims + " claims never recorded (" + IN_FLIGHT
                    + " in flight at the kill)");

            assertEquals(143, node.terminate(Duration.ofSeconds(60)), "a clean stop after SIGTERM");
            if (dataDir.isPresent()) {
                assertEquals(Optional.empty(), postmaster(dataDir.get()), "its PostgreSQL stopped with it");
            }
            return new Restarted(node.currentLog(), copies, inFlightAskedFor);
        }
    }

    /** Polls (bounded: output reaches the log in the background) until the node's current log has {@code text}. */
    static void awaitLogged(Node node, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(node.currentLog()).contains(text)) {
            if (System.nanoTime() > deadline) throw new AssertionError("not logged: " + text + "; see " + node.currentLog());
            Thread.sleep(100);
        }
    }

    /** Creates {@code count} organization keys, four requests at a time; their ids. */
    private static List<String> createKeys(Client admin, String name, int count) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String keyName = name + "-" + i;
                ids.add(pool.submit(() -> admin.expect(201, "POST", "/api/api-keys", Map.of("name", keyName))
                        .get("id").asText()));
            }
            List<String> created = new ArrayList<>();
            for (Future<String> id : ids) created.add(id.get(60, TimeUnit.SECONDS));
            return created;
        }
    }

    /** Where one delivery is, from its row and its recorded attempts. */
    enum State {
        /** Not claimed yet. */
        UNCLAIMED,
        /** Claimed, the answer not recorded: being sent, or left by a node that died while sending. */
        IN_FLIGHT,
        /** Claimed once, succeeded. */
        DELIVERED,
        /** Succeeded after more claims: sent again after a claim whose outcome was never recorded. */
        SENT_AGAIN,
        OTHER
    }

    /** A delivery: its status, claims (attempts started), outcomes recorded and how many of those succeeded. */
    record Row(String status, int attempts, int recorded, int succeeded) {
        State state() {
            boolean done = status.equals("SUCCEEDED") && recorded == 1 && succeeded == 1;
            if (status.equals("PENDING") && attempts == 0 && recorded == 0) return State.UNCLAIMED;
            if (status.equals("PENDING") && attempts == 1 && recorded == 0) return State.IN_FLIGHT;
            if (done && attempts == 1) return State.DELIVERED;
            if (done) return State.SENT_AGAIN;
            return State.OTHER;
        }
    }

    /** The endpoint's deliveries by message id (the webhook-id). */
    static Map<String, Row> rows(DatabaseAt at, String endpoint) throws Exception {
        Map<String, Row> rows = new HashMap<>();
        query(at, """
                SELECT d.message_id, d.status, d.attempts,
                       (SELECT count(*) FROM webhook_attempts a WHERE a.delivery_id = d.id) AS recorded,
                       (SELECT count(*) FROM webhook_attempts a WHERE a.delivery_id = d.id AND a.succeeded) AS succeeded
                  FROM webhook_deliveries d WHERE d.endpoint_id = ?::uuid""", endpoint, row -> rows.put(
                row.getString("message_id"), new Row(row.getString("status"), row.getInt("attempts"),
                        row.getInt("recorded"), row.getInt("succeeded"))));
        return rows;
    }

    /** How many of the endpoint's deliveries are in each state (only the states there are). */
    static Map<State, Integer> states(DatabaseAt at, String endpoint) throws Exception {
        Map<State, Integer> counts = new TreeMap<>();
        for (Row row : rows(at, endpoint).values()) counts.merge(row.state(), 1, Integer::sum);
        return counts;
    }

    /** Polls (bounded) until the states are {@code expected}; fails at the deadline with what they were. */
    static void awaitStates(DatabaseAt at, String endpoint, Map<State, Integer> expected, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<State, Integer> now;
        while (!(now = states(at, endpoint)).equals(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("deliveries " + now + ", not " + expected + ", after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** Polls (bounded) until the endpoint has {@code count} deliveries, each of them succeeded. */
    static void awaitAllSucceeded(DatabaseAt at, String endpoint, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Row> rows;
        while ((rows = rows(at, endpoint)).size() != count
                || !rows.values().stream().allMatch(row -> row.status().equals("SUCCEEDED"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("deliveries " + states(at, endpoint) + ", not " + count + " succeeded, after "
                        + timeout);
            }
            Thread.sleep(200);
        }
    }

    interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    private static void query(DatabaseAt at, String sql, String parameter, RowReader eachRow) throws Exception {
        try (Connection connection = TestPostgres.connect(at.url());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) eachRow.read(rows);
            }
        }
    }

    /** The embedded server running on {@code dataDir} now: its port is line 4 of postmaster.pid. */
    static DatabaseUrl embeddedUrl(Path dataDir) throws IOException {
        String port = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).strip();
        return new DatabaseUrl("jdbc:postgresql://localhost:" + port + "/postgres", Optional.of("postgres"),
                Optional.of(Files.readString(dataDir.resolve("postgres-password")).strip()));
    }

    /** The postmaster of {@code dataDir}'s cluster, when one runs (pid file's first line, a postgres process). */
    static Optional<ProcessHandle> postmaster(Path dataDir) throws IOException {
        List<String> pidFile;
        try {
            pidFile = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pidFile.getFirst().strip()))
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }

    /** Stops (smart shutdown, then SIGKILL) a postmaster still running on {@code dataDir}. */
    static void stopPostmaster(Path dataDir) throws Exception {
        Optional<ProcessHandle> left = postmaster(dataDir);
        if (left.isEmpty()) return;
        left.get().destroy();
        try {
            left.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            left.get().destroyForcibly();
        }
    }

    /** A program's client of the node: the session cookie it got, Origin on every request, answers as documented. */
    static final class Client {
        private final String base;
        private volatile String cookie;

        Client(String base) {
            this.base = base;
        }

        /** Sends, fails unless the answer is {@code status} and as the OpenAPI document says; the parsed body. */
        JsonNode expect(int status, String method, String path, Object body) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30)).header("Origin", base);
                if (cookie != null) request.header("Cookie", cookie);
                if (body != null) {
                    request.header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
                } else {
                    request.method(method, HttpRequest.BodyPublishers.noBody());
                }
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
                OpenApiResponseValidator.SERVED.assertValid(method, path, response.statusCode(),
                        response.headers().map(), response.body());
                response.headers().firstValue("Set-Cookie").ifPresent(set -> cookie = set.split(";", 2)[0]);
                return response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A receiver on loopback, as a developer runs one: verifies every request with the standardwebhooks library,
     * records it, and answers 204; while {@link #holding}, it keeps the answer until {@link #release} (the request
     * is in flight: here, and unanswered).
     */
    static final class Receiver implements AutoCloseable {
        record Delivery(String webhookId, String type, String keyId, String body, boolean held, Instant at) {
        }

        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        final List<String> refused = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        volatile String secret;
        volatile boolean holding;
        private final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/hooks", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        }

        private void handle(HttpExchange exchange) {
            try {
                Map<String, List<String>> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    new Webhook(secret).verify(body, headers);
                } catch (WebhookVerificationException | RuntimeException e) {
                    refused.add(e + " " + headers);
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                JsonNode event = json.readTree(body);
                boolean held = holding;
                deliveries.add(new Delivery(headers.get("webhook-id").getFirst(), event.get("type").asText(),
                        event.get("data").get("id").asText(), body, held, Instant.now()));
                if (held && !release.await(90, TimeUnit.SECONDS)) refused.add("held past 90 s: " + headers);
                exchange.sendResponseHeaders(204, -1);
            } catch (IOException answerToAKilledNode) {
                // its connection is closed: nobody reads this answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        }

        /** Polls (bounded) until {@code count} requests are held. */
        void awaitHeld(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (deliveries.stream().filter(Delivery::held).count() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(deliveries.stream().filter(Delivery::held).count() + " requests held, not "
                            + count + ", after " + timeout);
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
        }
    }
}
