package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.ApiKeyUsageRepository.KeyDayCounts;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.apikey.KeyUseOutcome;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What waits for the next flush of {@link ApiKeyUsage}, per (key id, UTC day): the requests by outcome, the address
 * of the latest success, and the latest use (lastUsedAt). One flat array, eight longs a slot, open addressing with
 * linear probing: no object per entry, so however long an entry waits, the collector has nothing to copy or promote
 * (a map of 100,000 waiting keys was 100,000 nodes, ids and instants that outlived the young generation and filled
 * the old one). The four counts are 32-bit halves of two longs: a few seconds' requests of one key never reach 2³¹;
 * a count may go below zero (a success later refused for scope, after the success was flushed): the stored sum is
 * still exact. Not thread-safe: {@link ApiKeyUsage} guards it.
 */
final class UsageTable {
    private static final int HIGH = 0, LOW = 1, DAY = 2, SUCCESS_SCOPE = 3, RATE_IP = 4, ADDRESS_HIGH = 5,
            ADDRESS_LOW = 6, LAST_USED = 7, LONGS_PER_SLOT = 8;
    /** In {@code DAY}: a free slot. */
    private static final long EMPTY = Long.MIN_VALUE;
    /** In {@code LAST_USED}: counts only, no use to write (a refusal, or a use not due for lastUsedAt). */
    private static final long NOT_USED = Long.MIN_VALUE;
    private static final int INITIAL_SLOTS = 1 << 10;
    /** Grows past 80 % full (probes stay a few slots long). */
    private static final double MAX_LOAD = 0.8;

    private long[] slots = empty(INITIAL_SLOTS);
    private int mask = INITIAL_SLOTS - 1;
    private int size;

    /** What one slot holds, as the repositories take it: {@code lastUsed} empty when only counted. */
    record Entry(KeyDayCounts counts, Optional<Instant> lastUsed) {
        /** Whether any request was counted (or an address kept): something for the usage repository. */
        boolean counted() {
            DailyUsage c = counts.counts();
            return c.success() != 0 || c.scopeRefused() != 0 || c.rateLimited() != 0 || c.ipRefused() != 0
                    || counts.lastAddress().isPresent();
        }
    }

    /** A chunk of the table for the two repositories: the counts, and each key's latest use. */
    record Chunk(List<KeyDayCounts> counts, Map<ApiKeyId, Instant> lastUsed) {
    }

    int size() {
        return size;
    }

    boolean contains(ApiKeyId id, long day) {
        UUID uuid = id.value();
        return slots[slotOf(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits(), day) * LONGS_PER_SLOT + DAY] != EMPTY;
    }

    /**
     * Adds {@code delta} requests to {@code outcome}'s count of the key's day; a non-zero address (see
     * {@link ClientAddress}) replaces the one kept.
     */
    void add(ApiKeyId id, long day, KeyUseOutcome outcome, int delta, long addressHigh, long addressLow) {
        int at = slot(id, day);
        switch (outcome) {
            case SUCCESS -> slots[at + SUCCESS_SCOPE] = addHigh(slots[at + SUCCESS_SCOPE], delta);
            case SCOPE_REFUSED -> slots[at + SUCCESS_SCOPE] = addLow(slots[at + SUCCESS_SCOPE], delta);
            case RATE_LIMITED -> slots[at + RATE_IP] = addHigh(slots[at + RATE_IP], delta);
            case IP_REFUSED -> slots[at + RATE_IP] = addLow(slots[at + RATE_IP], delta);
        }
        if (addressHigh != 0 || addressLow != 0) {
            slots[at + ADDRESS_HIGH] = addressHigh;
            slots[at + ADDRESS_LOW] = addressLow;
        }
    }

    /** The key was used at {@code millis} on {@code day}: keeps the later of it and the time already there. */
    void used(ApiKeyId id, long day, long millis) {
        int at = slot(id, day);
        if (millis > slots[at + LAST_USED]) slots[at + LAST_USED] = millis; // NOT_USED is below every time
    }

    /** The slot's first long for the key's day, taken (zeroed) if it was free. */
    private int slot(ApiKeyId id, long day) {
        if (size + 1 > (mask + 1) * MAX_LOAD) grow();
        UUID uuid = id.value();
        int at = slotOf(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits(), day) * LONGS_PER_SLOT;
        if (slots[at + DAY] == EMPTY) {
            slots[at + HIGH] = uuid.getMostSignificantBits();
            slots[at + LOW] = uuid.getLeastSignificantBits();
            slots[at + DAY] = day;
            slots[at + SUCCESS_SCOPE] = 0;
            slots[at + RATE_IP] = 0;
            slots[at + ADDRESS_HIGH] = 0;
            slots[at + ADDRESS_LOW] = 0;
            slots[at + LAST_USED] = NOT_USED;
            size++;
        }
        return at;
    }

    /** Receives the table in chunks; may throw. */
    interface ChunkSink {
        void accept(Chunk chunk);
    }

    /**
     * Hands every entry to {@code sink} in chunks of at most {@code chunkSize} entries (only a chunk's worth of
     * objects exists at a time), removing each chunk once the sink took it. If the sink throws, the entries of that
     * chunk and of the ones after it stay, and the exception propagates.
     */
    void drain(int chunkSize, ChunkSink sink) {
        int taken = 0; // the slots before this one are written and emptied
        int entries = 0;
        List<KeyDayCounts> counts = new ArrayList<>();
        Map<ApiKeyId, Instant> lastUsed = new HashMap<>();
        for (int slot = 0; slot <= mask; slot++) {
            int at = slot * LONGS_PER_SLOT;
            if (slots[at + DAY] == EMPTY) continue;
            Entry entry = entryAt(at);
            entries++;
            if (entry.counted()) counts.add(entry.counts());
            // a key used on two days (around midnight) is one lastUsedAt: the later
            if (entry.lastUsed().isPresent()) {
                lastUsed.merge(entry.counts().keyId(), entry.lastUsed().get(), (a, b) -> a.isAfter(b) ? a : b);
            }
            if (entries == chunkSize || entries == size) {
                sink.accept(new Chunk(counts, lastUsed));
                Arrays.fill(slots, taken * LONGS_PER_SLOT, (slot + 1) * LONGS_PER_SLOT, EMPTY);
                size -= entries;
                taken = slot + 1;
                entries = 0;
                counts = new ArrayList<>();
                lastUsed = new HashMap<>();
            }
        }
    }

    /** Every entry (a failed flush puts them back). */
    void forEach(Consumer<Entry> entry) {
        for (int at = 0; at < slots.length; at += LONGS_PER_SLOT) {
            if (slots[at + DAY] != EMPTY) entry.accept(entryAt(at));
        }
    }

    /** Empties the table; it keeps its size, as the next busy spell needs the same room. */
    void clear() {
        Arrays.fill(slots, EMPTY);
        size = 0;
    }

    private Entry entryAt(int at) {
        long successScope = slots[at + SUCCESS_SCOPE], rateIp = slots[at + RATE_IP];
        DailyUsage counts = new DailyUsage(LocalDate.ofEpochDay(slots[at + DAY]), (int) (successScope >> 32),
                (int) successScope, (int) (rateIp >> 32), (int) rateIp);
        Optional<String> address = ClientAddress.text(slots[at + ADDRESS_HIGH], slots[at + ADDRESS_LOW]);
        long lastUsed = slots[at + LAST_USED];
        return new Entry(new KeyDayCounts(new ApiKeyId(new UUID(slots[at + HIGH], slots[at + LOW])), counts, address),
                lastUsed == NOT_USED ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastUsed)));
    }

    private static long addHigh(long pair, int delta) {
        int high = (int) (pair >> 32);
        return pack(saturated(high, delta), (int) pair);
    }

    private static long addLow(long pair, int delta) {
        return pack((int) (pair >> 32), saturated((int) pair, delta));
    }

    private static int saturated(int count, int delta) {
        long sum = (long) count + delta;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sum));
    }

    private static long pack(int high, int low) {
        return ((long) high << 32) | (low & 0xFFFF_FFFFL);
    }

    /** The slot holding this key's day, or the empty slot where it would go. */
    private int slotOf(long high, long low, long day) {
        // ids may be time-ordered (their high bits alike): mix both halves and the day, take the product's top bits
        int slot = (int) (((high ^ low ^ (day * 0xC2B2AE3D27D4EB4FL)) * 0x9E3779B97F4A7C15L)
                >>> (64 - Integer.numberOfTrailingZeros(mask + 1)));
        while (true) {
            int at = slot * LONGS_PER_SLOT;
            if (slots[at + DAY] == EMPTY
                    || (slots[at + HIGH] == high && slots[at + LOW] == low && slots[at + DAY] == day)) return slot;
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        long[] old = slots;
        int count = (mask + 1) * 2;
        slots = empty(count);
        mask = count - 1;
        for (int at = 0; at < old.length; at += LONGS_PER_SLOT) {
            if (old[at + DAY] == EMPTY) continue;
            int to = slotOf(old[at + HIGH], old[at + LOW], old[at + DAY]) * LONGS_PER_SLOT;
            System.arraycopy(old, at, slots, to, LONGS_PER_SLOT);
        }
    }

    private static long[] empty(int slotCount) {
        long[] array = new long[slotCount * LONGS_PER_SLOT];
        Arrays.fill(array, EMPTY);
        return array;
    }
}
