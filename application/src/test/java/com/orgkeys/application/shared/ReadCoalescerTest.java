package com.orgkeys.application.shared;

import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import com.orgkeys.domain.shared.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ReadCoalescerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final InMemoryTransactionRunner tx = new InMemoryTransactionRunner(new InMemoryStore());
    private final ReadCoalescer<String, Integer> coalescer = new ReadCoalescer<>(tx);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** How many reads ran; each read returns its own number, so a caller can tell which read it got. */
    private final AtomicInteger reads = new AtomicInteger();
    private final CountDownLatch firstReadStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstRead = new CountDownLatch(1);

    @AfterEach
    void stopThreads() {
        releaseFirstRead.countDown();
        threads.shutdownNow();
    }

    /** The first read blocks until released; later reads return at once. */
    private Integer slowFirstRead() {
        int number = reads.incrementAndGet();
        if (number == 1) {
            firstReadStarted.countDown();
            await(releaseFirstRead);
        }
        return number;
    }

    @Test
    void aLoneCallerGetsItsOwnRead() {
        assertEquals(1, coalescer.read("k", reads::incrementAndGet));
        assertEquals(2, coalescer.read("k", reads::incrementAndGet));
        assertEquals(0, coalescer.activeKeys(), "an idle key keeps no state");
    }

    @Test
    void callersArrivingDuringARunningReadShareTheNextOneNeverTheRunningOne() throws Exception {
        Future<Integer> first = threads.submit(() -> coalescer.read("k", this::slowFirstRead));
        await(firstReadStarted);
        List<Future<Integer>> later = new ArrayList<>();
        List<Thread> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            CountDownLatch started = new CountDownLatch(1);
            Thread[] self = new Thread[1];
            later.add(threads.submit(() -> {
                self[0] = Thread.currentThread();
                started.countDown();
                return coalescer.read("k", this::slowFirstRead);
            }));
            await(started);
            waiting.add(self[0]);
        }
        waitUntilBlocked(waiting);
        assertEquals(1, reads.get(), "nobody starts a second read while the first runs");

        releaseFirstRead.countDown();

        assertEquals(1, first.get(10, TimeUnit.SECONDS));
        for (Future<Integer> f : later) {
            assertEquals(2, f.get(10, TimeUnit.SECONDS), "a read that started after the caller arrived");
        }
        assertEquals(2, reads.get(), "eight callers shared one read");
        assertEquals(0, coalescer.activeKeys());
    }

    @Test
    void differentKeysDoNotWaitForEachOther() throws Exception {
        Future<Integer> blocked = threads.submit(() -> coalescer.read("a", this::slowFirstRead));
        await(firstReadStarted);
        assertEquals(2, coalescer.read("b", reads::incrementAndGet));
        assertFalse(blocked.isDone());
        releaseFirstRead.countDown();
        assertEquals(1, blocked.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFailedReadFailsItsCallersAndTheNextReadRunsAfresh() {
        UnavailableException down = new UnavailableException("the database is not reachable", null);
        assertThrows(UnavailableException.class, () -> coalescer.read("k", () -> {
            throw down;
        }));
        assertEquals(7, coalescer.read("k", () -> 7));
        assertEquals(0, coalescer.activeKeys());
    }

    @Test
    void aReadInsideATransactionIsRefusedBeforeItRuns() {
        assertThrows(IllegalStateException.class, () -> tx.inTransaction(() -> coalescer.read("k", reads::incrementAndGet)));
        assertEquals(0, reads.get());
        assertEquals(0, coalescer.activeKeys());
        assertEquals(1, coalescer.read("k", reads::incrementAndGet), "outside the transaction it reads");
    }

    @Test
    void manyCallersOnManyKeysAllGetAnAnswerAndLeaveNoState() throws Exception {
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String key = "k" + (i % 7);
            int expected = i % 7;
            answers.add(threads.submit(() -> coalescer.read(key, () -> expected)));
        }
        for (int i = 0; i < answers.size(); i++) assertEquals(i % 7, answers.get(i).get(10, TimeUnit.SECONDS));
        assertEquals(0, coalescer.activeKeys());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS), "timed out");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void waitUntilBlocked(List<Thread> callers) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (callers.stream().anyMatch(t -> t.getState() != Thread.State.WAITING)) {
            if (System.nanoTime() > deadline) fail("callers did not block on the running read");
            Thread.sleep(5);
        }
    }
}
