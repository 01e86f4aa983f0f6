package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.out.ApiKeyUsageRepository.KeyDayCounts;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.apikey.KeyUseOutcome;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * (key id, day) → requests by outcome and the address of the latest success, in one flat array as {@link UseTable}
 * (seven longs a slot, open addressing, no object per entry, so waiting counts give the collector nothing to
 * promote). The four counts are 32-bit halves of two longs: a few seconds' requests of one key never reach 2³¹.
 * A count may go below zero (a success later refused for scope, after the success was flushed): the stored sum is
 * still exact. Not thread-safe: {@link ApiKeyUsage} guards it.
 */
final class CountTable {
    private static final int HIGH = 0, LOW = 1, DAY = 2, SUCCESS_SCOPE = 3, RATE_IP = 4, ADDRESS_HIGH = 5,
            ADDRESS_LOW = 6, LONGS_PER_SLOT = 7;
    private static final long EMPTY = Long.MIN_VALUE;
    private static final int INITIAL_SLOTS = 1 << 10;
    private static final double MAX_LOAD = 0.8;

    private long[] slots = empty(INITIAL_SLOTS);
    private int mask = INITIAL_SLOTS - 1;
    private int size;

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
            size++;
        }
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

    /**
     * Hands every entry to {@code sink} in chunks of at most {@code chunkSize}, removing each chunk once the sink took
     * it. If the sink throws, the entries of that chunk and the ones after it stay, and the exception propagates.
     */
    void drain(int chunkSize, Consumer<List<KeyDayCounts>> sink) {
        int taken = 0;
        List<KeyDayCounts> chunk = new ArrayList<>();
        for (int slot = 0; slot <= mask; slot++) {
            int at = slot * LONGS_PER_SLOT;
            if (slots[at + DAY] == EMPTY) continue;
            chunk.add(entryAt(at));
            if (chunk.size() == chunkSize || size == chunk.size()) {
                sink.accept(chunk);
                Arrays.fill(slots, taken * LONGS_PER_SLOT, (slot + 1) * LONGS_PER_SLOT, EMPTY);
                size -= chunk.size();
                taken = slot + 1;
                chunk = new ArrayList<>();
            }
        }
    }

    /** Every entry (a failed flush puts them back). */
    void forEach(Consumer<KeyDayCounts> entry) {
        for (int at = 0; at < slots.length; at += LONGS_PER_SLOT) {
            if (slots[at + DAY] != EMPTY) entry.accept(entryAt(at));
        }
    }

    void clear() {
        Arrays.fill(slots, EMPTY);
        size = 0;
    }

    private KeyDayCounts entryAt(int at) {
        long successScope = slots[at + SUCCESS_SCOPE], rateIp = slots[at + RATE_IP];
        DailyUsage counts = new DailyUsage(LocalDate.ofEpochDay(slots[at + DAY]), (int) (successScope >> 32),
                (int) successScope, (int) (rateIp >> 32), (int) rateIp);
        Optional<String> address = ClientAddress.text(slots[at + ADDRESS_HIGH], slots[at + ADDRESS_LOW]);
        return new KeyDayCounts(new ApiKeyId(new UUID(slots[at + HIGH], slots[at + LOW])), counts, address);
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

    private int slotOf(long high, long low, long day) {
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
