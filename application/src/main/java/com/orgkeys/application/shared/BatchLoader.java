package com.orgkeys.application.shared;

import com.orgkeys.application.shared.port.out.TransactionRunner;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Lookups of different keys share one query when they arrive together. No timer: a lookup that finds fewer than
 * {@code maxRunning} queries running starts its own at once, so an idle system adds no latency; lookups that
 * arrive while they run wait together in the next batch (at most {@code maxBatch} keys; a full one queues another),
 * which starts as soon as a running query ends. A batch starts only after each of its callers arrived, so each gets
 * what a query of its own would have. A failed query fails its batch's callers. Refused inside a transaction.
 */
public final class BatchLoader<K, V> {
    private final TransactionRunner tx;
    private final int maxBatch;
    private final int maxRunning;
    private final Function<Set<K>, Map<K, V>> query;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Batch<K, V>> waiting = new ArrayDeque<>();
    private int running;

    private static final class Batch<K, V> {
        final Set<K> keys = new HashSet<>(); // changed under the lock, and only while the batch is waiting
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<Map<K, V>> result = new CompletableFuture<>();
    }

    /** @param query answers the keys it finds (those it does not find are absent); never called with none */
    public BatchLoader(TransactionRunner tx, int maxBatch, int maxRunning, Function<Set<K>, Map<K, V>> query) {
        if (maxBatch < 1 || maxRunning < 1) throw new IllegalArgumentException("maxBatch and maxRunning must be >= 1");
        this.tx = tx;
        this.maxBatch = maxBatch;
        this.maxRunning = maxRunning;
        this.query = query;
    }

    public Optional<V> load(K key) {
        if (tx.insideTransaction()) {
            throw new IllegalStateException("a shared read must not run inside a transaction: it could see, and share,"
                    + " that transaction's uncommitted writes");
        }
        Batch<K, V> batch;
        boolean leader = true;
        lock.lock();
        try {
            if (running < maxRunning && waiting.isEmpty()) {
                batch = new Batch<>();
                running++;
                batch.started.complete(null);
            } else {
                batch = waiting.peekLast();
                if (batch != null && (batch.keys.size() < maxBatch || batch.keys.contains(key))) {
                    leader = false;
                } else {
                    batch = new Batch<>();
                    waiting.addLast(batch);
                }
            }
            batch.keys.add(key);
        } finally {
            lock.unlock();
        }
        if (leader) run(batch);
        return Optional.ofNullable(ReadCoalescer.await(batch.result).get(key));
    }

    private void run(Batch<K, V> batch) {
        batch.started.join(); // completed by the query that ends first; keys no longer change from then on
        try {
            batch.result.complete(query.apply(Set.copyOf(batch.keys)));
        } catch (RuntimeException | Error e) {
            batch.result.completeExceptionally(e);
        } finally {
            lock.lock();
            try {
                Batch<K, V> next = waiting.pollFirst();
                if (next != null) next.started.complete(null); // hands its running slot on
                else running--;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Callers' keys waiting for a query to start (for tests). */
    int waitingKeys() {
        lock.lock();
        try {
            return waiting.stream().mapToInt(b -> b.keys.size()).sum();
        } finally {
            lock.unlock();
        }
    }
}
