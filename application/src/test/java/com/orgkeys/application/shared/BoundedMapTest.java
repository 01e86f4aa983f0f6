package com.orgkeys.application.shared;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedMapTest {
    /** Values are their own worth; negative ones are forgettable, 1000 and above pinned. */
    static BoundedMap<String, Integer> map(int capacity) {
        return new BoundedMap<>(capacity, v -> v < 0, v -> v, v -> v >= 1000);
    }

    @Test
    void a_full_map_pushes_out_the_forgettable_then_the_least_worth_least_recently_used_first() {
        BoundedMap<String, Integer> map = map(10);
        for (int i = 0; i < 10; i++) map.put("k" + i, i == 3 ? -1 : i % 2 == 0 ? 5 : 1); // odd: worth 1, k3 forgettable
        map.get("k1"); // used again: the last of the worth-1 entries to go
        map.put("new", 7);
        assertNull(map.get("k3"), "the forgettable entry went first, and alone: that made room");
        assertEquals(10, map.size());

        map.put("newer", 7);
        assertEquals(10, map.size());
        assertNull(map.get("k5"), "the least recently used of the least worth");
        for (String kept : new String[]{"k1", "k7", "k9"}) assertEquals(1, map.get(kept));
        for (String kept : new String[]{"k0", "k2", "k4", "k6", "k8"}) assertEquals(5, map.get(kept));
    }

    @Test
    void pinned_entries_are_never_pushed_out_and_a_new_key_is_refused_when_only_they_are_left() {
        BoundedMap<String, Integer> map = map(10);
        for (int i = 0; i < 9; i++) map.put("pinned" + i, 1000 + i);
        map.put("worthy", 999);
        assertNotNull(map.getOrCreateIfRoom("new", () -> 0), "the unpinned entry made room");
        assertNull(map.get("worthy"));
        map.put("new", 1000);

        assertNull(map.getOrCreateIfRoom("another", () -> 0));
        assertThrows(IllegalStateException.class, () -> map.put("another", 0));
        assertEquals(10, map.size());
        for (int i = 0; i < 9; i++) assertEquals(1000 + i, map.get("pinned" + i));
        assertEquals(1000, map.getOrCreateIfRoom("new", () -> 0), "an existing key is found, full or not");
    }

    @Test
    void a_flood_of_new_keys_stays_within_capacity() {
        BoundedMap<String, Integer> map = map(100);
        for (int i = 0; i < 100_000; i++) map.getOrCreate("k" + i, () -> 1);
        assertTrue(map.size() <= 100);
    }
}
