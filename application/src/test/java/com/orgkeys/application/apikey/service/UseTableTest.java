package com.orgkeys.application.apikey.service;

import com.orgkeys.domain.apikey.ApiKeyId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UseTableTest {
    private final UseTable table = new UseTable();

    /** Time-ordered ids (alike high bits) as well as random ones, past several doublings of the table. */
    private static List<ApiKeyId> ids(int count) {
        List<ApiKeyId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(new ApiKeyId(i % 2 == 0 ? UUID.randomUUID() : new UUID(0x0190_0000_0000_7000L + i / 64, 0x8000_0000_0000_0000L | i)));
        }
        return ids;
    }

    private Map<ApiKeyId, Instant> drainAll(int chunkSize, List<Integer> chunkSizes) {
        Map<ApiKeyId, Instant> written = new HashMap<>();
        table.drain(chunkSize, chunk -> {
            chunkSizes.add(chunk.size());
            written.putAll(chunk);
        });
        return written;
    }

    @Test
    void keeps_the_latest_time_of_each_key_through_growth_and_drains_in_chunks() {
        List<ApiKeyId> ids = ids(20_000);
        for (int i = 0; i < ids.size(); i++) table.put(ids.get(i), 1_000 + i);
        for (int i = 0; i < ids.size(); i += 2) table.put(ids.get(i), 5); // older: ignored
        table.put(ids.getFirst(), 99_999); // newer: wins
        assertEquals(20_000, table.size());
        assertTrue(table.contains(ids.get(12_345)));
        assertFalse(table.contains(ApiKeyId.random()));

        List<Integer> chunks = new ArrayList<>();
        Map<ApiKeyId, Instant> written = drainAll(5_000, chunks);

        assertEquals(List.of(5_000, 5_000, 5_000, 5_000), chunks);
        assertEquals(20_000, written.size());
        assertEquals(Instant.ofEpochMilli(99_999), written.get(ids.getFirst()));
        for (int i = 1; i < ids.size(); i++) assertEquals(Instant.ofEpochMilli(1_000 + i), written.get(ids.get(i)));
        assertEquals(0, table.size());
        assertFalse(table.contains(ids.get(7)));
    }

    @Test
    void a_failing_chunk_leaves_it_and_the_later_ones_in_the_table() {
        List<ApiKeyId> ids = ids(2_500);
        for (ApiKeyId id : ids) table.put(id, 7);
        Map<ApiKeyId, Instant> written = new HashMap<>();
        int[] calls = {0};

        assertThrows(IllegalStateException.class, () -> table.drain(1_000, chunk -> {
            if (++calls[0] == 2) throw new IllegalStateException("database down");
            written.putAll(chunk);
        }));

        assertEquals(1_000, written.size());
        assertEquals(1_500, table.size());
        Map<ApiKeyId, Long> left = new HashMap<>();
        table.forEach(left::put);
        assertEquals(1_500, left.size());
        for (ApiKeyId id : ids) assertTrue(written.containsKey(id) != left.containsKey(id), "each key exactly once");

        List<Integer> chunks = new ArrayList<>();
        assertEquals(1_500, drainAll(1_000, chunks).size());
        assertEquals(List.of(1_000, 500), chunks);
    }
}
