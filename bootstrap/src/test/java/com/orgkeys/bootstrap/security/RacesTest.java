package com.orgkeys.bootstrap.security;

import com.orgkeys.bootstrap.api.Api;
import com.orgkeys.bootstrap.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static com.orgkeys.bootstrap.api.Api.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concurrent requests that compete for the same thing: invariants hold and nobody gets a 500. */
class RacesTest {
    static TestServer server;
    static Api admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.signUp("racer@example.com");
        admin.post("/api/organizations", body("name", "Race track"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<Integer> concurrently(int count, Callable<Integer> request) throws Exception {
        List<Callable<Integer>> calls = Collections.nCopies(count, request);
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
            for (Future<Integer> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) statuses.add(f.get());
        }
        return statuses;
    }

    @Test
    void concurrent_creates_of_one_agent_id_make_exactly_one_agent() throws Exception {
        String key = admin.post("/api/api-keys", body("name", "racer")).text("secret");
        Api program = server.anonymous().withBearer(key);
        for (int round = 0; round < 5; round++) {
            String id = "same-" + round;
            List<Integer> statuses = concurrently(8, () -> program.post("/api/agents", body("id", id, "name", "n", "model", "m")).status());
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        }
        assertEquals(5, program.get("/api/agents").body().get("totalCount").asInt());
    }

    /**
     * Concurrent identical reads share one database query (ReadCoalescer); a shared read must still never be
     * older than the request it answers. Pollers keep the list and the session hot while one client writes.
     */
    @Test
    void hot_reads_shared_between_requests_never_answer_with_data_older_than_the_request() throws Exception {
        Api owner = server.signUp("hot-reads@example.com");
        owner.post("/api/organizations", body("name", "Hot reads"));
        Api program = server.anonymous().withBearer(owner.post("/api/api-keys", body("name", "poller")).text("secret"));
        AtomicBoolean polling = new AtomicBoolean(true);
        try (ExecutorService pollers = Executors.newFixedThreadPool(12)) {
            for (int i = 0; i < 12; i++) {
                Api poller = i % 2 == 0 ? program : owner;
                pollers.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (polling.get() && System.nanoTime() < deadline) poller.get("/api/agents?pageSize=100");
                    return null;
                });
            }
            for (int i = 1; i <= 15; i++) {
                Api writer = i % 2 == 0 ? program : owner;
                Api reader = i % 2 == 0 ? owner : program;
                assertEquals(201, writer.post("/api/agents", body("id", "hot-" + i, "name", "n", "model", "m")).status());
                assertEquals(i, reader.get("/api/agents?pageSize=100").body().get("totalCount").asInt(),
                        "the list read right after the 201 of agent " + i);
                assertEquals(204, writer.delete("/api/agents/hot-" + i).status());
                assertEquals(i - 1, reader.get("/api/agents?pageSize=100").body().get("totalCount").asInt(),
                        "the list read right after the 204 that deleted agent " + i);
                assertEquals(201, writer.post("/api/agents", body("id", "hot-" + i, "name", "n", "model", "m")).status());
            }
            // Signing out while the session is being read by other requests ends it for the very next request.
            String cookie = owner.sessionCookie().orElseThrow();
            assertEquals(200, server.anonymous().withSessionCookie(cookie).get("/api/agents").status());
            assertEquals(204, owner.post("/api/auth/sign-out", body()).status());
            assertEquals(401, server.anonymous().withSessionCookie(cookie).get("/api/agents").status());
            polling.set(false);
        }
    }

    /**
     * Agent writes, by API key and by session, while their organization is deleted: a write that passed its
     * checks before the delete committed and inserts after it meets a foreign key violation, which is a 409, not
     * a 500; after the 204 every write is refused (the key 401, the session 403: no active organization).
     */
    @Test
    void agent_writes_racing_the_deletion_of_their_organization_are_refused_cleanly() throws Exception {
        Set<Integer> allowed = Set.of(201, 401, 403, 404, 409);
        for (int round = 0; round < 5; round++) {
            Api owner = server.signUp("doomed-" + round + "@example.com");
            assertEquals(201, owner.post("/api/organizations", body("name", "Doomed " + round)).status());
            Api program = server.anonymous().withBearer(owner.post("/api/api-keys", body("name", "writer")).text("secret"));
            List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger created = new AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try (ExecutorService writers = Executors.newFixedThreadPool(5)) {
                for (int i = 0; i < 5; i++) {
                    Api writer = i == 0 ? owner : program;
                    writers.submit(() -> {
                        while (System.nanoTime() < deadline) {
                            int status = writer.post("/api/agents", body("name", "n", "model", "m")).status();
                            statuses.add(status);
                            if (status == 201) created.incrementAndGet();
                            if (status == 401 || status == 403) return null; // refused for good: the organization is gone
                        }
                        return null;
                    });
                }
                while (created.get() < 10 && System.nanoTime() < deadline) Thread.sleep(2);
                assertEquals(204, owner.delete("/api/organization").status());
            }
            assertTrue(created.get() >= 10, "writes were under way: " + created.get());
            List<Integer> unexpected = statuses.stream().filter(s -> !allowed.contains(s)).toList();
            assertTrue(unexpected.isEmpty(), "round " + round + ": " + unexpected);
        }
    }

    /**
     * Deleting an organization ends its keys in this process at once, as a revocation does, not when the
     * database's NOTIFY comes back (a millisecond later; under load, dozens of requests later).
     */
    @Test
    void the_keys_of_a_deleted_organization_are_rejected_on_the_very_next_request_while_in_hot_use() throws Exception {
        for (int round = 0; round < 5; round++) {
            Api owner = server.signUp("deleted-keys-" + round + "@example.com");
            assertEquals(201, owner.post("/api/organizations", body("name", "Deleted keys " + round)).status());
            Api program = server.anonymous().withBearer(owner.post("/api/api-keys", body("name", "hot")).text("secret"));
            AtomicBoolean polling = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try (ExecutorService pollers = Executors.newFixedThreadPool(4)) {
                for (int i = 0; i < 4; i++) {
                    pollers.submit(() -> {
                        while (polling.get() && System.nanoTime() < deadline) {
                            if (program.get("/api/whoami").status() == 200) answered.incrementAndGet();
                        }
                        return null;
                    });
                }
                try {
                    while (answered.get() < 20 && System.nanoTime() < deadline) Thread.sleep(2);
                    assertEquals(204, owner.delete("/api/organization").status());
                    assertEquals(401, program.get("/api/whoami").status(), "round " + round + ": the request right after the 204");
                } finally {
                    polling.set(false);
                }
            }
        }
    }

    @Test
    void the_same_invitation_accepted_twice_at_once_makes_one_membership() throws Exception {
        for (int round = 0; round < 3; round++) {
            String email = "twice" + round + "@example.com";
            Api invited = server.signUp(email);
            String url = admin.post("/api/invitations", body("email", email, "role", "org:member")).text("acceptUrl");
            String token = url.substring(url.indexOf("token=") + 6);
            List<Integer> statuses = concurrently(4, () -> invited.post("/api/invitations/accept", body("token", token)).status());
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(3, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        }
    }

    @Test
    void concurrent_revokes_and_creates_of_keys_keep_every_key_consistent() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) ids.add(admin.post("/api/api-keys", body("name", "r" + i)).text("id"));
        List<Callable<Integer>> calls = new ArrayList<>();
        for (String id : ids) {
            for (int i = 0; i < 3; i++) {
                String reason = "reason " + i;
                calls.add(() -> admin.post("/api/api-keys/" + id + "/revoke", body("revocationReason", reason)).status());
            }
            calls.add(() -> admin.post("/api/api-keys", body("name", "fresh")).status());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Integer> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) statuses.add(f.get());
        }
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 201), statuses.toString());
        for (String id : ids) {
            var key = admin.get("/api/api-keys/" + id);
            assertEquals("revoked", key.text("status"));
            assertTrue(key.text("revocationReason").startsWith("reason "));
        }
        int revokeEvents = 0;
        for (var event : admin.get("/api/audit-events?pageSize=100").body().get("data")) {
            if (event.get("action").asText().equals("api_key.revoked")) revokeEvents++;
        }
        assertEquals(ids.size(), revokeEvents, "each key revoked exactly once");
    }
}
