package com.orgkeys.application.shared;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Shares one read among concurrent callers asking for the same key, without ever answering with stale data.
 *
 * <p>Per key at most one read runs at a time. Callers that arrive while it runs do not join it (it may have
 * started before a write they have already seen committed); they wait for the next read, which starts when the
 * running one ends and is shared by all of them. So every caller gets the result of a read that started after it
 * arrived, as if it had read alone, and a hot key costs the database one read per read duration however many
 * callers ask (a fleet polling one organization's list, or one browser session firing many requests).
 *
 * <p>A failed read fails every caller that shared it. Only for reads outside a transaction: a read inside one
 * may see that transaction's own uncommitted writes, which must not be shared.
 */
public final class ReadCoalescer<K, V> {
    private final ConcurrentHashMap<K, Slot<V>> slots = new ConcurrentHashMap<>();

    /** The reads of one key: the one running, and the one the callers that came after it wait for. */
    private static final class Slot<V> {
        CompletableFuture<V> running;
        CompletableFuture<V> next;
        boolean retired; // removed from the map: a caller that still finds it takes a new slot
    }

    public V read(K key, Supplier<V> reader) {
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

    private static <V> V await(CompletableFuture<V> read) {
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
