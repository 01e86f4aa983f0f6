package com.orgkeys.application.apikey.service;

import com.orgkeys.domain.apikey.ApiKeyId;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Key id → latest use (epoch milliseconds) in one flat array, three longs a slot, open addressing with linear
 * probing. No object per key: however long an entry waits for its flush, the collector has nothing to copy or to
 * promote (a map of 100,000 waiting keys was 100,000 nodes, ids and instants that outlived the young generation and
 * filled the old one). Not thread-safe: {@link ApiKeyUsage} guards it.
 */
final class UseTable {
    private static final int HIGH = 0, LOW = 1, MILLIS = 2, LONGS_PER_SLOT = 3;
    private static final long EMPTY = Long.MIN_VALUE;
    private static final int INITIAL_SLOTS = 1 << 10;
    /** Grows past 80 % full; {@code maxEntries} fits without a further doubling (probes stay a few slots long). */
    private static final double MAX_LOAD = 0.8;

    private long[] slots = empty(INITIAL_SLOTS);
    private int mask = INITIAL_SLOTS - 1;
    private int size;

    int size() {
        return size;
    }

    boolean contains(ApiKeyId id) {
        UUID uuid = id.value();
        return slots[slotOf(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()) * LONGS_PER_SLOT + MILLIS] != EMPTY;
    }

    /** Keeps the later of {@code millis} and the time already there. */
    void put(ApiKeyId id, long millis) {
        if (size + 1 > (mask + 1) * MAX_LOAD) grow();
        UUID uuid = id.value();
        int at = slotOf(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()) * LONGS_PER_SLOT;
        if (slots[at + MILLIS] == EMPTY) {
            slots[at + HIGH] = uuid.getMostSignificantBits();
            slots[at + LOW] = uuid.getLeastSignificantBits();
            slots[at + MILLIS] = millis;
            size++;
        } else if (millis > slots[at + MILLIS]) {
            slots[at + MILLIS] = millis;
        }
    }

    /** Receives entries in chunks; may throw. */
    interface ChunkSink {
        void accept(Map<ApiKeyId, Instant> chunk);
    }

    /**
     * Hands every entry to {@code sink} in chunks of at most {@code chunkSize} (only a chunk's worth of objects
     * exists at a time), removing each chunk once the sink took it. If the sink throws, the entries of that chunk
     * and of the ones after it stay, and the exception propagates.
     */
    void drain(int chunkSize, ChunkSink sink) {
        int taken = 0; // the slots before this one are written and emptied
        Map<ApiKeyId, Instant> chunk = new HashMap<>();
        for (int slot = 0; slot <= mask; slot++) {
            int at = slot * LONGS_PER_SLOT;
            if (slots[at + MILLIS] == EMPTY) continue;
            chunk.put(idAt(at), Instant.ofEpochMilli(slots[at + MILLIS]));
            if (chunk.size() == chunkSize || size == chunk.size()) {
                sink.accept(chunk);
                Arrays.fill(slots, taken * LONGS_PER_SLOT, (slot + 1) * LONGS_PER_SLOT, EMPTY);
                size -= chunk.size();
                taken = slot + 1;
                chunk = new HashMap<>();
            }
        }
    }

    /** One entry, for {@link #forEach}. */
    interface Entry {
        void accept(ApiKeyId id, long millis);
    }

    void forEach(Entry entry) {
        for (int at = 0; at < slots.length; at += LONGS_PER_SLOT) {
            if (slots[at + MILLIS] != EMPTY) entry.accept(idAt(at), slots[at + MILLIS]);
        }
    }

    private ApiKeyId idAt(int at) {
        return new ApiKeyId(new UUID(slots[at + HIGH], slots[at + LOW]));
    }

    /** Empties the table; it keeps its size, as the next busy spell needs the same room. */
    void clear() {
        Arrays.fill(slots, EMPTY);
        size = 0;
    }

    /** The slot holding this id, or the empty slot where it would go. */
    private int slotOf(long high, long low) {
        // ids may be time-ordered (their high bits alike): mix both halves, take the product's top bits
        int slot = (int) (((high ^ low) * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(mask + 1)));
        while (true) {
            int at = slot * LONGS_PER_SLOT;
            if (slots[at + MILLIS] == EMPTY || (slots[at + HIGH] == high && slots[at + LOW] == low)) return slot;
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        long[] old = slots;
        int count = (mask + 1) * 2;
        slots = empty(count);
        mask = count - 1;
        for (int at = 0; at < old.length; at += LONGS_PER_SLOT) {
            if (old[at + MILLIS] == EMPTY) continue;
            int to = slotOf(old[at + HIGH], old[at + LOW]) * LONGS_PER_SLOT;
            System.arraycopy(old, at, slots, to, LONGS_PER_SLOT);
        }
    }

    private static long[] empty(int slotCount) {
        long[] array = new long[slotCount * LONGS_PER_SLOT];
        Arrays.fill(array, EMPTY);
        return array;
    }
}
