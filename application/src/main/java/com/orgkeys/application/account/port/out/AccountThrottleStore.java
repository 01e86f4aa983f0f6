package com.orgkeys.application.account.port.out;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the sign-in and sign-up limits keep their counters, shared by every process that uses the same store:
 * small entries of numbers under fixed-size keys, each with the time after which it counts for nothing. What the
 * numbers mean is the throttle's business; the store only keeps them and changes them atomically.
 */
public interface AccountThrottleStore {
    /** 128 bits of a hash: fixed-size whatever the input, and no input can be recovered from it. */
    record Key(long high, long low) {
    }

    /** The numbers under one key; from {@code expiresAt} on, the entry is as good as absent and may be deleted. */
    record Entry(long[] values, Instant expiresAt) {
        public Entry {
            values = values.clone();
        }

        @Override
        public long[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Entry entry && Arrays.equals(values, entry.values) && expiresAt.equals(entry.expiresAt);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(values) + expiresAt.hashCode();
        }

        @Override
        public String toString() {
            return "Entry" + Arrays.toString(values) + " until " + expiresAt;
        }
    }

    /**
     * Calls {@code change} with the entries stored under {@code keys} that have not expired at {@code now} (absent
     * keys are missing from the map), while no other update can touch any of those keys, in this process or
     * another; then stores what {@code change} left in the map for those keys (a key it removed is deleted). When
     * {@code change} throws, every entry stays as it was. Keep {@code change} short and free of I/O: the keys are
     * locked while it runs.
     */
    <T> T update(Collection<Key> keys, Instant now, Function<Map<Key, Entry>, T> change);
}
