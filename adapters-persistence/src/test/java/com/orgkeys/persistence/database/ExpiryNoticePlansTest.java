package com.orgkeys.persistence.database;

import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.persistence.apikeyexpiry.JdbcExpiryNoticeRepository;
import com.orgkeys.persistence.testing.TestPostgres;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The expiry notices' job over 200,000 keys, 100 of them due (the plans were the same over 1,000,000, which took
 * three minutes to seed: the partial indexes hold only the due keys): each of its two reads (the repository's own
 * statements, EXPLAIN ANALYZE'd, and their generic plans) is a range of its V34 partial index that reads the due
 * keys and no other: no Seq Scan, no Sort, no row removed by a filter, no node with more rows than are due.
 */
class ExpiryNoticePlansTest {
    private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final int KEYS = 200_000;
    private static final int DUE = 50;
    private static final Pattern ACTUAL_ROWS = Pattern.compile("actual time=\\S+ rows=(\\d+)");

    private static HikariDataSource pool;
    private static Connection explain;
    private static final RecordingDataSource recorder = new RecordingDataSource();
    private static JdbcExpiryNoticeRepository notices;

    @BeforeAll
    static void seed() throws SQLException {
        DatabaseUrl url = TestPostgres.newDatabase();
        pool = TestPostgres.migratedPool(url, 1);
        notices = new JdbcExpiryNoticeRepository(new Jdbc(recorder.wrap(pool)));
        explain = TestPostgres.connect(url);
        try (Statement sql = explain.createStatement()) {
            sql.execute("INSERT INTO organizations VALUES ('%s', 'Big', 'big', now())".formatted(ORG));
            // the search's trigram index can serve no range of expires_at, and its build is most of the seed's time
            sql.execute("DROP INDEX api_keys_search_trgm");
            // half never expire; three tenths expire later than a week from now; a tenth expired and were told;
            // a tenth are in their last week and were told so; one in a hundred of them revoked
            sql.execute("""
                    INSERT INTO api_keys (id, organization_id, name, description, scopes, secret_hash, hint, created_by,
                                          created_at, expires_at, revoked_at, expiring_notice_settled_at,
                                          expired_notice_settled_at)
                    SELECT gen_random_uuid(), '%1$s'::uuid, 'key ' || g, '', ARRAY['org:agents:read'], md5('k' || g),
                           'ok_…abcd', 'user:00000000-0000-0000-0000-0000000000ff', now() - interval '400 days',
                           CASE WHEN g %% 10 < 5 THEN NULL
                                WHEN g %% 10 < 8 THEN now() + (g %% 365 + 8) * interval '1 day'
                                WHEN g %% 10 = 8 THEN now() - (g %% 365 + 1) * interval '1 day'
                                ELSE now() + (g %% 7) * interval '1 day' + interval '1 hour' END,
                           CASE WHEN g %% 100 = 7 THEN now() - interval '1 day' END,
                           CASE WHEN g %% 10 >= 8 THEN now() - interval '1 day' END,
                           CASE WHEN g %% 10 = 8 THEN now() - interval '1 day' END
                    FROM generate_series(1, %2$d) g""".formatted(ORG, KEYS));
            // due: some entering their last week (expiring), some that just expired (told expiring before)
            sql.execute("""
                    INSERT INTO api_keys (id, organization_id, name, description, scopes, secret_hash, hint, created_by,
                                          created_at, expires_at, expiring_notice_settled_at)
                    SELECT gen_random_uuid(), '%1$s'::uuid, 'due ' || g, '', ARRAY['org:agents:read'], md5('due' || g),
                           'ok_…abcd', 'user:00000000-0000-0000-0000-0000000000ff', now() - interval '30 days',
                           CASE WHEN g %% 2 = 0 THEN now() + interval '3 days' ELSE now() - interval '1 minute' END,
                           CASE WHEN g %% 2 = 1 THEN now() - interval '6 days' END
                    FROM generate_series(1, %2$d) g""".formatted(ORG, 2 * DUE));
            sql.execute("VACUUM ANALYZE api_keys");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        if (explain != null) explain.close();
        if (pool != null) pool.close();
    }

    @Test
    void the_expiring_read_takes_only_the_due_keys_from_its_index() throws SQLException {
        Instant now = Instant.now();
        List<ApiKey> due = notices.lockDueForExpiringNotice(now.plus(ApiKey.EXPIRING_NOTICE_LEAD), 100);
        assertEquals(DUE, due.size());
        check("api_keys_expiring_notice_due");
    }

    @Test
    void the_expired_read_takes_only_the_due_keys_from_its_index() throws SQLException {
        List<ApiKey> due = notices.lockDueForExpiredNotice(Instant.now(), 100);
        assertEquals(DUE, due.size());
        check("api_keys_expired_notice_due");
    }

    private static void check(String index) throws SQLException {
        List<RecordingDataSource.Query> queries = recorder.take();
        assertEquals(1, queries.size());
        RecordingDataSource.Query query = queries.get(0);
        String plan = String.join("\n", query.plan(explain));
        System.out.println(index + ":\n" + plan);
        assertTrue(plan.contains(index), plan);
        assertFalse(plan.contains("Seq Scan") || plan.contains("Sort") || plan.contains("Rows Removed"), plan);
        Matcher rows = ACTUAL_ROWS.matcher(plan);
        while (rows.find()) assertTrue(Integer.parseInt(rows.group(1)) <= DUE, plan);
        String generic = String.join("\n", query.genericPlan(explain));
        assertTrue(generic.contains(index) && !generic.contains("Seq Scan") && !generic.contains("Sort"), generic);
    }
}
