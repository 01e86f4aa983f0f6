package com.orgkeys.application.shared;

import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import com.orgkeys.domain.shared.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class BatchLoaderTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final InMemoryTransactionRunner tx = new InMemoryTransactionRunner(new InMemoryStore());
    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** Every query, with the keys it was asked for. */
    private final List<Set<String>> queries = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstQueryStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstQuery = new CountDownLatch(1);
    /** Answers "value of k" for every key but "unknown"; the first query blocks until released. */
    private final Function<Set<String>, Map<String, String>> query = keys -> {
        queries.add(keys);
        int number = queries.size();
        if (number == 1) {
            firstQueryStarted.countDown();
            await(releaseFirstQuery);
        }
        Map<String, String> found = new HashMap<>();
        for (String k : keys) if (!k.equals("unknown")) found.put(k, "value of " + k + " #" + number);
        return found;
    };

    @AfterEach
    void stopThreads() {
        releaseFirstQuery.countDown();
        threads.shutdownNow();
    }

    @Test
    void aLookupThatFindsNothingRunningQueriesAtOnceAlone() {
        releaseFirstQuery.countDown();
        BatchLoader<String, String> loader = new BatchLoader<>(tx, 100, 1, query);
        assertEquals(Optional.of("value of a #1"), loader.load("a"));
        assertEquals(Optional.empty(), loader.load("unknown"));
        assertEquals(List.of(Set.of("a"), Set.of("unknown")), queries);
    }

    @Test
    void differentKeysArrivingWhileAQueryRunsShareTheNextQueryNeverTheRunningOne() throws Exception {
        BatchLoader<String, String> loader = new BatchLoader<>(tx, 100, 1, query);
        Future<Optional<String>> first = threads.submit(() -> loader.load("a"));
        await(firstQueryStarted);
        List<Future<Optional<String>>> later = new ArrayList<>();
        for (String key : List.of("a", "b", "c", "d", "unknown")) later.add(threads.submit(() -> loader.load(key)));
        waitUntil(() -> loader.waitingKeys() == 5);
        assertEquals(1, queries.size(), "nothing else starts while the first query runs");

        releaseFirstQuery.countDown();

        assertEquals(Optional.of("value of a #1"), first.get(10, TimeUnit.SECONDS));
        assertEquals(Optional.of("value of a #2"), later.get(0).get(10, TimeUnit.SECONDS), "a query that started after it arrived");
        assertEquals(Optional.of("value of d #2"), later.get(3).get(10, TimeUnit.SECONDS));
        assertEquals(Optional.empty(), later.get(4).get(10, TimeUnit.SECONDS));
        assertEquals(List.of(Set.of("a"), Set.of("a", "b", "c", "d", "unknown")), queries, "five callers, one query");
    }

    @Test
    void aFullBatchQueuesAnotherAndUpToMaxRunningQueriesRunAtOnce() throws Exception {
        BatchLoader<String, String> loader = new BatchLoader<>(tx, 2, 2, query);
        Future<Optional<String>> first = threads.submit(() -> loader.load("a"));
        await(firstQueryStarted);
        assertEquals(Optional.of("value of b #2"), loader.load("b"), "a second query may run beside the first");
        // with one slot taken by the blocked query, keys queue up in batches of two; a second blocked caller holds
        // the other slot
        List<Future<Optional<String>>> later = new ArrayList<>();
        CountDownLatch secondBlocked = new CountDownLatch(1);
        BatchLoader<String, String> blocking = new BatchLoader<>(tx, 2, 1, keys -> {
            await(secondBlocked);
            return query.apply(keys);
        });
        Future<Optional<String>> holder = threads.submit(() -> blocking.load("x"));
        for (String key : List.of("c", "d", "e")) later.add(threads.submit(() -> blocking.load(key)));
        waitUntil(() -> blocking.waitingKeys() == 3);
        secondBlocked.countDown();
        releaseFirstQuery.countDown();
        assertEquals(Optional.of("value of a #1"), first.get(10, TimeUnit.SECONDS));
        assertTrue(holder.get(10, TimeUnit.SECONDS).isPresent());
        for (Future<Optional<String>> f : later) assertTrue(f.get(10, TimeUnit.SECONDS).isPresent());
        List<Integer> sizes = queries.stream().map(Set::size).toList();
        assertEquals(List.of(1, 1, 1, 2, 1), sizes, "a, b, x, then c+d and e: no batch above two keys");
        assertEquals(0, blocking.waitingKeys());
    }

    @Test
    void aFailedQueryFailsItsCallersAndTheNextOneRunsAfresh() {
        UnavailableException down = new UnavailableException("the database is not reachable", null);
        boolean[] fail = {true};
        BatchLoader<String, String> loader = new BatchLoader<>(tx, 100, 1, keys -> {
            if (fail[0]) throw down;
            return Map.of("k", "v");
        });
        assertThrows(UnavailableException.class, () -> loader.load("k"));
        fail[0] = false;
        assertEquals(Optional.of("v"), loader.load("k"), "the failed query gave its slot back");
    }

    @Test
    void aLookupInsideATransactionIsRefusedBeforeItRuns() {
        BatchLoader<String, String> loader = new BatchLoader<>(tx, 100, 1, query);
        assertThrows(IllegalStateException.class, () -> tx.inTransaction(() -> loader.load("k")));
        assertEquals(0, queries.size());
    }

    @Test
    void manyCallersOnManyKeysAllGetTheirOwnAnswer() throws Exception {
        releaseFirstQuery.countDown();
        BatchLoader<String, String> loader = new BatchLoader<>(tx, 16, 2, keys -> {
            Map<String, String> found = new HashMap<>();
            for (String k : keys) found.put(k, "v" + k);
            return found;
        });
        List<Future<Optional<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String key = "k" + (i % 97);
            answers.add(threads.submit(() -> loader.load(key)));
        }
        for (int i = 0; i < answers.size(); i++) {
            assertEquals(Optional.of("vk" + (i % 97)), answers.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(0, loader.waitingKeys());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS), "timed out");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("condition not reached in time");
            Thread.onSpinWait();
            Thread.sleep(1); // a poll interval with a deadline, not a wait for the condition
        }
    }
}
