package com.orgkeys.application.shared;

import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core shared with BatchLoader is tested there; here what writes need: a result per caller, not per value. */
class BatcherTest {
    private final InMemoryTransactionRunner tx = new InMemoryTransactionRunner(new InMemoryStore());
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch firstStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    private final List<List<String>> runs = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopThreads() {
        releaseFirst.countDown();
        threads.shutdownNow();
    }

    /** Numbers the items of each run: "first of run 2", ...; the first run blocks until released. */
    private List<String> number(List<String> items) {
        runs.add(items);
        if (runs.size() == 1) {
            firstStarted.countDown();
            await(releaseFirst);
        }
        List<String> results = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) results.add(items.get(i) + " #" + i + " of run " + runs.size());
        return results;
    }

    @Test
    void equal_items_of_one_batch_each_get_the_result_at_their_own_place() throws Exception {
        Batcher<String, String> batcher = new Batcher<>(tx, 10, 1, this::number);
        Future<String> first = threads.submit(() -> batcher.submit("x"));
        assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
        List<Future<String>> same = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            same.add(threads.submit(() -> batcher.submit("same")));
            waitForWaiting(batcher, i + 1);
        }
        releaseFirst.countDown();

        assertEquals("x #0 of run 1", first.get(10, TimeUnit.SECONDS));
        List<String> answers = new ArrayList<>();
        for (Future<String> f : same) answers.add(f.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("same #0 of run 2", "same #1 of run 2", "same #2 of run 2"), answers);
        assertEquals(List.of(List.of("x"), List.of("same", "same", "same")), runs);
    }

    @Test
    void work_that_answers_the_wrong_number_of_results_fails_its_callers() {
        Batcher<String, String> batcher = new Batcher<>(tx, 10, 1, items -> List.of());
        assertThrows(IllegalStateException.class, () -> batcher.submit("x"));
    }

    @Test
    void a_batched_call_inside_a_transaction_is_refused() {
        Batcher<String, String> batcher = new Batcher<>(tx, 10, 1, this::number);
        assertThrows(IllegalStateException.class, () -> tx.inTransaction(() -> batcher.submit("x")));
        assertEquals(List.of(), runs);
    }

    private static void waitForWaiting(Batcher<?, ?> batcher, int items) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batcher.waitingItems() < items) {
            if (System.nanoTime() > deadline) throw new AssertionError("never " + items + " waiting");
            Thread.sleep(1); // a poll interval with a deadline, not a wait for the condition
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
