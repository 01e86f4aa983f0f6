package com.orgkeys.application.shared;

import com.orgkeys.application.shared.port.out.TransactionRunner;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Concurrent callers of one key share one read that starts after all of them arrived, so each gets what a read of its
 * own would have: a hot key costs one query at a time, however many callers ask. A failed read fails all its
 * sharers. Refused inside a transaction, whose uncommitted writes must not be shared.
 */
public final class ReadCoalescer<K, V> {
    private final ConcurrentHashMap<K, Slot<V>> slots = new ConcurrentHashMap<>();
    private final TransactionRunner tx;

    /** The reads of one key: the one running, and the one the callers that came after it wait for. */
    private static final class Slot<V> {
        CompletableFuture<V> running;
        CompletableFuture<V> next;
        boolean retired; // removed from the map: a caller that still finds it takes a new slot
    }

    public ReadCoalescer(TransactionRunner tx) {
        this.tx = tx;
    }

    public V read(K key, Supplier<V> reader) {
        if (tx.insideTransaction()) {
            throw new IllegalStateException("a shared read must not run inside a transaction: it could see, and share,"
                    + " that transaction's uncommitted writes");
        }
        while (true) {
            Slot<V> slot = slots.computeIfAbsent(key, k -> new Slot<>());
            CompletableFuture<V> mine;
            CompletableFuture<V> before = null;
            boolean leader;
            synchronized (slot) {
                if (slot.retired) continue;
                if (slot.next != null) { // has not started yet (it starts once it leaves this field)
                    mine = slot.next;
                    leader = false;
                } else if (slot.running == null) {
                    mine = slot.running = new CompletableFuture<>();
                    leader = true;
                } else {
                    mine = slot.next = new CompletableFuture<>();
                    before = slot.running;
                    leader = true;
                }
            }
            if (leader) lead(key, slot, mine, before, reader);
            return await(mine);
        }
    }

    private void lead(K key, Slot<V> slot, CompletableFuture<V> mine, CompletableFuture<V> before, Supplier<V> reader) {
        if (before != null) {
            before.exceptionally(e -> null).join(); // its outcome is not ours: wait for it to end, then start ours
            synchronized (slot) {
                slot.running = mine;
                slot.next = null;
            }
        }
        try {
            mine.complete(reader.get());
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
        } finally {
            synchronized (slot) {
                if (slot.running == mine) slot.running = null;
                if (slot.running == null && slot.next == null) {
                    slot.retired = true;
                    slots.remove(key, slot);
                }
            }
        }
    }

    /** The shared read's value, or its failure rethrown as it was thrown (also for {@link BatchLoader}). */
    static <V> V await(CompletableFuture<V> read) {
        try {
            return read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            if (e.getCause() instanceof Error error) throw error;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a shared read", e);
        }
    }

    /** Keys with a read running or waiting (for tests: the map must not grow with keys no longer read). */
    int activeKeys() {
        return slots.size();
    }
}
