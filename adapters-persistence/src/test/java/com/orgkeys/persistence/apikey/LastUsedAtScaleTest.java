package com.orgkeys.persistence.apikey;

import com.orgkeys.application.apikey.service.ApiKeyUsage;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.zaxxer.hikari.HikariDataSource;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * lastUsedAt for 100,000 distinct keys in one flush: more than one statement's 65,535 parameters could carry at
 * two per key (the single statement before chunking failed from 32,768 keys on). Prints the rate it writes at.
 */
class LastUsedAtScaleTest {
    private static final int KEYS = 100_000;
    private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final Instant AT = Instant.parse("2026-06-01T12:00:00.123Z");
    private static HikariDataSource pool;
    private static Jdbc jdbc;
    private static final List<ApiKeyId> ids = new ArrayList<>();

    @BeforeAll
    static void seed() throws SQLException {
        DatabaseUrl url = TestPostgres.newDatabase();
        // one connection: the repository's statements and the statistics read below share a server process
        pool = TestPostgres.migratedPool(url, 1);
        jdbc = new Jdbc(pool);
        try (Connection connection = TestPostgres.connect(url); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO organizations VALUES ('" + ORG + "', 'Big', 'big', now())");
            sql.execute("""
                    INSERT INTO api_keys (id, organization_id, name, description, scopes, secret_hash, hint, created_by, created_at)
                    SELECT md5('key' || g)::uuid, '%s', 'k' || g, '', '{}', md5('secret' || g), 'ok_…' || g %% 10000,
                           'user:00000000-0000-0000-0000-0000000000ff', now()
                    FROM generate_series(1, %d) g""".formatted(ORG, KEYS));
            sql.execute("ANALYZE api_keys");
        }
        for (UUID id : jdbc.list("SELECT id FROM api_keys", row -> Jdbc.uuid(row, "id"))) ids.add(new ApiKeyId(id));
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @Test
    public void a_hundred_thousand_keys_are_flushed_in_chunks_and_no_time_moves_back() {
        ApiKeyUsage usage = new ApiKeyUsage(new JdbcApiKeyRepository(jdbc), new JdbcApiKeyUsageRepository(jdbc), KEYS);
        for (int i = 0; i < KEYS; i++) usage.record(ids.get(i), AT.plusMillis(i % 1000));
        assertEquals(0, usage.takeDropped());

        long seqScans = sequentialScans();
        long start = System.nanoTime();
        usage.flush();
        long nanos = System.nanoTime() - start;
        assertEquals(seqScans, sequentialScans(), "an index lookup per key, never a scan of the whole table");
        System.out.printf("lastUsedAt flush: %,d keys in %d ms: %,.0f keys/s%n", KEYS, nanos / 1_000_000,
                KEYS / (nanos / 1e9));

        assertEquals(KEYS, jdbc.count("SELECT count(*) FROM api_keys WHERE last_used_at >= ?", AT));
        assertEquals(0, usage.pending());

        // older times for every key, newer for one: only that one moves
        for (int i = 0; i < KEYS; i++) usage.record(ids.get(i), AT.minus(Duration.ofHours(1)));
        usage.record(ids.getFirst(), AT.plus(Duration.ofHours(1)));
        usage.flush();
        assertEquals(0, jdbc.count("SELECT count(*) FROM api_keys WHERE last_used_at < ?", AT));
        assertEquals(1, jdbc.count("SELECT count(*) FROM api_keys WHERE last_used_at = ?", AT.plus(Duration.ofHours(1))));
    }

    private static long sequentialScans() {
        jdbc.count("SELECT count(*) FROM (SELECT pg_stat_force_next_flush()) f");
        return jdbc.count("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'api_keys'");
    }
}
