package com.orgkeys.application.apikey.service;

import com.orgkeys.domain.apikey.ApiKeyId;
import org.junit.jupiter.api.Test;

import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.apikey.KeyUseOutcome;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageTableTest {
    private static final long DAY = 20_000;
    private final UsageTable table = new UsageTable();

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
            chunkSizes.add(chunk.lastUsed().size());
            written.putAll(chunk.lastUsed());
        });
        return written;
    }

    @Test
    void keeps_the_latest_time_of_each_key_through_growth_and_drains_in_chunks() {
        List<ApiKeyId> ids = ids(20_000);
        for (int i = 0; i < ids.size(); i++) table.used(ids.get(i), DAY, 1_000 + i);
        for (int i = 0; i < ids.size(); i += 2) table.used(ids.get(i), DAY, 5); // older: ignored
        table.used(ids.getFirst(), DAY, 99_999); // newer: wins
        assertEquals(20_000, table.size());
        assertTrue(table.contains(ids.get(12_345), DAY));
        assertFalse(table.contains(ApiKeyId.random(), DAY));

        List<Integer> chunks = new ArrayList<>();
        Map<ApiKeyId, Instant> written = drainAll(5_000, chunks);

        assertEquals(List.of(5_000, 5_000, 5_000, 5_000), chunks);
        assertEquals(20_000, written.size());
        assertEquals(Instant.ofEpochMilli(99_999), written.get(ids.getFirst()));
        for (int i = 1; i < ids.size(); i++) assertEquals(Instant.ofEpochMilli(1_000 + i), written.get(ids.get(i)));
        assertEquals(0, table.size());
        assertFalse(table.contains(ids.get(7), DAY));
    }

    @Test
    void a_failing_chunk_leaves_it_and_the_later_ones_in_the_table() {
        List<ApiKeyId> ids = ids(2_500);
        for (ApiKeyId id : ids) table.used(id, DAY, 7);
        Map<ApiKeyId, Instant> written = new HashMap<>();
        int[] calls = {0};

        assertThrows(IllegalStateException.class, () -> table.drain(1_000, chunk -> {
            if (++calls[0] == 2) throw new IllegalStateException("database down");
            written.putAll(chunk.lastUsed());
        }));

        assertEquals(1_000, written.size());
        assertEquals(1_500, table.size());
        Map<ApiKeyId, Instant> left = new HashMap<>();
        table.forEach(e -> left.put(e.counts().keyId(), e.lastUsed().orElseThrow()));
        assertEquals(1_500, left.size());
        for (ApiKeyId id : ids) assertTrue(written.containsKey(id) != left.containsKey(id), "each key exactly once");

        List<Integer> chunks = new ArrayList<>();
        assertEquals(1_500, drainAll(1_000, chunks).size());
        assertEquals(List.of(1_000, 500), chunks);
    }

    @Test
    void a_keys_counts_and_latest_use_share_its_days_entry_and_two_days_are_one_last_use() {
        ApiKeyId id = ApiKeyId.random();
        table.add(id, DAY, KeyUseOutcome.SUCCESS, 1, 0, 0);
        table.add(id, DAY, KeyUseOutcome.SCOPE_REFUSED, 1, 0, 0);
        table.used(id, DAY, 1_000);
        table.add(id, DAY + 1, KeyUseOutcome.RATE_LIMITED, 2, 0, 0); // after midnight
        table.used(id, DAY + 1, 90_000_000);
        ApiKeyId counted = ApiKeyId.random();
        table.add(counted, DAY, KeyUseOutcome.IP_REFUSED, 1, 0, 0); // refused: counted, never "used"
        ApiKeyId used = ApiKeyId.random();
        table.used(used, DAY, 5); // used, not counted here
        assertEquals(4, table.size());

        List<UsageTable.Chunk> chunks = new ArrayList<>();
        table.drain(10, chunks::add);

        assertEquals(1, chunks.size());
        Map<ApiKeyId, Instant> lastUsed = chunks.getFirst().lastUsed();
        assertEquals(Map.of(id, Instant.ofEpochMilli(90_000_000), used, Instant.ofEpochMilli(5)), lastUsed);
        Map<String, DailyUsage> counts = new HashMap<>();
        chunks.getFirst().counts().forEach(c -> counts.put(c.keyId() + "@" + c.counts().day(), c.counts()));
        assertEquals(Map.of(id + "@" + LocalDate.ofEpochDay(DAY), new DailyUsage(LocalDate.ofEpochDay(DAY), 1, 1, 0, 0),
                id + "@" + LocalDate.ofEpochDay(DAY + 1), new DailyUsage(LocalDate.ofEpochDay(DAY + 1), 0, 0, 2, 0),
                counted + "@" + LocalDate.ofEpochDay(DAY), new DailyUsage(LocalDate.ofEpochDay(DAY), 0, 0, 0, 1)), counts,
                "an entry with a use and nothing counted adds no counts");
        assertEquals(0, table.size());
    }
}
