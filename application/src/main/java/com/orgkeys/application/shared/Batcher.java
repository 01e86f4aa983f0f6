package com.orgkeys.application.shared;

import com.orgkeys.application.shared.port.out.TransactionRunner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Calls that arrive together share one run of {@code work}: a group commit for writes, one query for reads. No
 * timer: a call that finds fewer than {@code maxRunning} runs going starts its own at once, so an idle system adds no
 * latency; calls arriving while they go wait together in the next batch (at most {@code maxBatch} items; a full one
 * queues another), which starts as soon as a running one ends. A batch starts only after each of its callers
 * arrived, so each gets what a run of its own would have. A failed run fails its batch's callers. Refused inside a
 * transaction: the batch runs apart from it.
 */
public final class Batcher<T, R> {
    private final TransactionRunner tx;
    private final int maxBatch;
    private final int maxRunning;
    private final Function<List<T>, List<R>> work;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Batch<T, R>> waiting = new ArrayDeque<>();
    private int running;

    private static final class Batch<T, R> {
        final List<T> items = new ArrayList<>(); // changed under the lock, and only while the batch is waiting
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<List<R>> results = new CompletableFuture<>();
    }

    /** @param work answers each item of a batch (never empty), in its order: one result per item */
    public Batcher(TransactionRunner tx, int maxBatch, int maxRunning, Function<List<T>, List<R>> work) {
        if (maxBatch < 1 || maxRunning < 1) throw new IllegalArgumentException("maxBatch and maxRunning must be >= 1");
        this.tx = tx;
        this.maxBatch = maxBatch;
        this.maxRunning = maxRunning;
        this.work = work;
    }

    /** {@code item}'s result from the run of the batch it joined (null where work answered null). */
    public R submit(T item) {
        if (tx.insideTransaction()) {
            throw new IllegalStateException("a batched call must not run inside a transaction: a read could see, and"
                    + " share, its uncommitted writes; a write would commit apart from it");
        }
        Batch<T, R> batch;
        int index;
        boolean leader = true;
        lock.lock();
        try {
            if (running < maxRunning && waiting.isEmpty()) {
                batch = new Batch<>();
                running++;
                batch.started.complete(null);
            } else {
                batch = waiting.peekLast();
                if (batch != null && batch.items.size() < maxBatch) {
                    leader = false;
                } else {
                    batch = new Batch<>();
                    waiting.addLast(batch);
                }
            }
            index = batch.items.size();
            batch.items.add(item);
        } finally {
            lock.unlock();
        }
        if (leader) run(batch);
        return ReadCoalescer.await(batch.results).get(index);
    }

    private void run(Batch<T, R> batch) {
        batch.started.join(); // completed by the run that ends first; items no longer change from then on
        try {
            List<T> items = List.copyOf(batch.items);
            List<R> results = work.apply(items);
            if (results.size() != items.size()) {
                throw new IllegalStateException(results.size() + " results for " + items.size() + " items");
            }
            batch.results.complete(results);
        } catch (RuntimeException | Error e) {
            batch.results.completeExceptionally(e);
        } finally {
            lock.lock();
            try {
                Batch<T, R> next = waiting.pollFirst();
                if (next != null) next.started.complete(null); // hands its running slot on
                else running--;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Callers' items waiting for a run to start (for tests). */
    int waitingItems() {
        lock.lock();
        try {
            return waiting.stream().mapToInt(b -> b.items.size()).sum();
        } finally {
            lock.unlock();
        }
    }
}
