package com.orgkeys.application.shared;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A map of at most {@code capacity} entries for state keyed by client input (throttles): when it is full, a new
 * entry first pushes out the entries that no longer matter, then the least recently used ones that matter
 * least, then the least recently used ones. So memory stays bounded whatever clients send, and a flood of new
 * keys has to push out every ordinary entry before it can reset an important one. Not thread-safe: callers
 * hold a lock.
 */
public final class BoundedMap<K, V> {
    private final int capacity;
    private final Predicate<V> forgettable;
    private final Predicate<V> important;
    private final LinkedHashMap<K, V> entries;

    /**
     * @param forgettable whether an entry holds nothing worth keeping (e.g. its limit has fully recovered)
     * @param important   whether an entry should be among the last to go (e.g. an account under backoff)
     */
    public BoundedMap(int capacity, Predicate<V> forgettable, Predicate<V> important) {
        if (capacity < 10) throw new IllegalArgumentException("capacity must be at least 10");
        this.capacity = capacity;
        this.forgettable = forgettable;
        this.important = important;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    public V get(K key) {
        return entries.get(key);
    }

    public V getOrCreate(K key, Supplier<V> create) {
        V value = entries.get(key);
        if (value != null) return value;
        if (entries.size() >= capacity) makeRoom();
        value = create.get();
        entries.put(key, value);
        return value;
    }

    public void put(K key, V value) {
        if (!entries.containsKey(key) && entries.size() >= capacity) makeRoom();
        entries.put(key, value);
    }

    public void remove(K key) {
        entries.remove(key);
    }

    public int size() {
        return entries.size();
    }

    /** Frees a tenth of the capacity at once, so that the sweep's cost is shared by many insertions. */
    private void makeRoom() {
        int target = capacity - capacity / 10;
        entries.values().removeIf(forgettable);
        removeEldest(target, important.negate());
        removeEldest(target, v -> true);
    }

    private void removeEldest(int target, Predicate<V> which) {
        Iterator<Map.Entry<K, V>> eldestFirst = entries.entrySet().iterator();
        while (entries.size() > target && eldestFirst.hasNext()) {
            if (which.test(eldestFirst.next().getValue())) eldestFirst.remove();
        }
    }
}
