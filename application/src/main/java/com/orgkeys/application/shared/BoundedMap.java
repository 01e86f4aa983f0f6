package com.orgkeys.application.shared;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * A map of at most {@code capacity} entries for state keyed by client input (throttles): when it is full, a new
 * entry first pushes out the entries that no longer matter, then the ones worth least, least recently used first
 * among equals; a pinned entry is never pushed out, and when only pinned ones are left the new entry is refused.
 * So memory stays bounded whatever clients send, and a flood of new keys has to be worth more than an entry
 * (e.g. carry more failures) before it can reset it. Not thread-safe: callers hold a lock.
 */
public final class BoundedMap<K, V> {
    private final int capacity;
    private final Predicate<V> forgettable;
    private final ToLongFunction<V> worth;
    private final Predicate<V> pinned;
    private final LinkedHashMap<K, V> entries;

    /**
     * @param forgettable whether an entry holds nothing worth keeping (e.g. its limit has fully recovered)
     * @param important   whether an entry should be among the last to go (e.g. an address that used most of its limit)
     */
    public BoundedMap(int capacity, Predicate<V> forgettable, Predicate<V> important) {
        this(capacity, forgettable, v -> important.test(v) ? 1 : 0, v -> false);
    }

    /**
     * @param forgettable whether an entry holds nothing worth keeping
     * @param worth       how much losing an entry would give away; the least worth goes first
     * @param pinned      whether an entry must never be pushed out (new entries are refused instead)
     */
    public BoundedMap(int capacity, Predicate<V> forgettable, ToLongFunction<V> worth, Predicate<V> pinned) {
        if (capacity < 10) throw new IllegalArgumentException("capacity must be at least 10");
        this.capacity = capacity;
        this.forgettable = forgettable;
        this.worth = worth;
        this.pinned = pinned;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    public V get(K key) {
        return entries.get(key);
    }

    /** The entry for {@code key}, created when missing; throws when every entry is pinned (see {@link #getOrCreateIfRoom}). */
    public V getOrCreate(K key, Supplier<V> create) {
        V value = getOrCreateIfRoom(key, create);
        if (value == null) throw new IllegalStateException("every entry is pinned");
        return value;
    }

    /** The entry for {@code key}, created when missing and there is room; null when every entry is pinned. */
    public V getOrCreateIfRoom(K key, Supplier<V> create) {
        V value = entries.get(key);
        if (value != null) return value;
        if (entries.size() >= capacity && !makeRoom()) return null;
        value = create.get();
        entries.put(key, value);
        return value;
    }

    public void put(K key, V value) {
        if (!entries.containsKey(key) && entries.size() >= capacity && !makeRoom()) {
            throw new IllegalStateException("every entry is pinned");
        }
        entries.put(key, value);
    }

    public void remove(K key) {
        entries.remove(key);
    }

    public int size() {
        return entries.size();
    }

    /**
     * Frees a tenth of the capacity at once, so that the sweep's cost (a sort) is shared by many insertions.
     * Returns whether there is room now.
     */
    private boolean makeRoom() {
        int target = capacity - capacity / 10;
        entries.values().removeIf(forgettable);
        if (entries.size() > target) {
            List<Map.Entry<K, V>> evictable = new ArrayList<>();
            for (Map.Entry<K, V> entry : entries.entrySet()) {
                if (!pinned.test(entry.getValue())) evictable.add(entry);
            }
            // a stable sort: among entries of equal worth the least recently used (iterated first) goes first
            evictable.sort(Comparator.comparingLong(e -> worth.applyAsLong(e.getValue())));
            for (int i = 0; i < evictable.size() && entries.size() > target; i++) {
                entries.remove(evictable.get(i).getKey());
            }
        }
        return entries.size() < capacity;
    }
}
