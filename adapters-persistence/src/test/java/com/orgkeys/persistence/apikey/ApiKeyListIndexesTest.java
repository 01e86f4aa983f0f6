package com.orgkeys.persistence.apikey;

import com.orgkeys.application.apikey.port.out.ApiKeyRepository.Filter;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.Jdbc;
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
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key list's search and status filters over 200,000 keys in one organization use their indexes (V7, V11, V23; seen in
 * pg_stat_user_indexes after the repository's own queries) and return what a plan without them returns.
 */
class ApiKeyListIndexesTest {
    private static final UUID BIG = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static HikariDataSource pool;
    private static Jdbc jdbc;
    private static JdbcApiKeyRepository keys;

    @BeforeAll
    static void seed() throws SQLException {
        DatabaseUrl url = TestPostgres.newDatabase();
        // one connection: the repository's statements and the statistics read below share a server process
        pool = TestPostgres.migratedPool(url, 1);
        jdbc = new Jdbc(pool);
        keys = new JdbcApiKeyRepository(jdbc);
        try (Connection connection = TestPostgres.connect(url); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO organizations VALUES ('" + BIG + "', 'Big', 'big', now()), ('" + OTHER
                    + "', 'Other', 'other', now())");
            // 200,000 keys in one organization, 20,000 in another; a tenth revoked, a tenth expired, a tenth expiring
            // (and disabled), a tenth disabled
            sql.execute("""
                    INSERT INTO api_keys (id, organization_id, name, description, scopes, secret_hash, hint, created_by,
                                          created_at, expires_at, revoked_at, disabled_at)
                    SELECT gen_random_uuid(), CASE WHEN g <= 200000 THEN '%s'::uuid ELSE '%s'::uuid END,
                           'customer ' || g || ' ' || substr(md5(g::text), 1, 8),
                           CASE WHEN g %% 3 = 0 THEN 'production key for tenant ' || g ELSE '' END,
                           ARRAY['org:sys_api_keys:read'], md5('secret' || g), 'ok_…' || substr(md5('hint' || g), 1, 4),
                           'user:00000000-0000-0000-0000-0000000000ff', now() - g * interval '1 second',
                           CASE WHEN g %% 10 = 1 THEN now() - interval '1 day'
                                WHEN g %% 10 = 2 THEN now() + interval '30 days' END,
                           CASE WHEN g %% 10 = 3 THEN now() - interval '1 hour' END,
                           CASE WHEN g %% 10 IN (2, 4) THEN now() - interval '2 hours' END
                    FROM generate_series(1, 220000) g""".formatted(BIG, OTHER));
            sql.execute("""
                    INSERT INTO api_keys (id, organization_id, name, description, scopes, secret_hash, hint, created_by,
                                          created_at)
                    VALUES ('00000000-0000-0000-0000-000000000001', '%1$s', 'Fifty_Percent%%Off', '', '{}', 'h1', 'ok_…a1', 'user:00000000-0000-0000-0000-0000000000ff', now()),
                           ('00000000-0000-0000-0000-000000000002', '%1$s', 'FiftyXPercentYOff', '', '{}', 'h2', 'ok_…a2', 'user:00000000-0000-0000-0000-0000000000ff', now()),
                           ('00000000-0000-0000-0000-000000000003', '%1$s', 'sale', 'for the FIFTY_PERCENT%%OFF sale', '{}', 'h3', 'ok_…a3', 'user:00000000-0000-0000-0000-0000000000ff', now()),
                           ('00000000-0000-0000-0000-000000000004', '%2$s', 'Fifty_Percent%%Off', '', '{}', 'h4', 'ok_…a4', 'user:00000000-0000-0000-0000-0000000000ff', now()),
                           ('00000000-0000-0000-0000-000000000005', '%1$s', 'hinted', '', '{}', 'h5', 'ok_…Q%%_9', 'user:00000000-0000-0000-0000-0000000000ff', now()),
                           ('00000000-0000-0000-0000-000000000006', '%1$s', 'Back\\Slash', '', '{}', 'h6', 'ok_…a6', 'user:00000000-0000-0000-0000-0000000000ff', now()),
                           ('00000000-0000-0000-0000-000000000007', '%1$s', 'Spanner', E'first line\nAcross', '{}', 'h7', 'ok_…Tail', 'user:00000000-0000-0000-0000-0000000000ff', now())
                    """.formatted(BIG, OTHER));
            sql.execute("VACUUM ANALYZE api_keys");
        }
    }

    @AfterAll
    static void close() {
        if (pool != null) pool.close();
    }

    @Test
    void searchIsCaseInsensitiveWithPercentUnderscoreAndBackslashTakenLiterally() {
        assertEquals(Set.of("00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000003"),
                ids(search("y_percent%o")));
        assertEquals(Set.of("00000000-0000-0000-0000-000000000005"), ids(search("q%_9")));
        assertEquals(Set.of("00000000-0000-0000-0000-000000000006"), ids(search("k\\s")));
        assertEquals(Set.of(), ids(search("y_percent%x")));
    }

    @Test
    void aMatchNeverSpansTwoColumnsButMayBeAnywhereInOne() {
        Set<String> spanner = Set.of("00000000-0000-0000-0000-000000000007");
        assertEquals(spanner, ids(search("spanner")));
        assertEquals(spanner, ids(search("across")));
        assertEquals(spanner, ids(search("ok_…tail")));
        assertEquals(Set.of(), ids(search("spanner first")));
        assertEquals(Set.of(), ids(search("spannerfirst")));
        assertEquals(Set.of(), ids(search("across ok_")));
        assertEquals(Set.of(), ids(search("line across")));
    }

    @Test
    void searchUsesTheTrigramIndex() {
        List<String> indexes = List.of("api_keys_search_trgm");
        List<Long> before = indexes.stream().map(ApiKeyListIndexesTest::scans).toList();
        Page<ApiKey> found = search("tenant 123457");
        assertEquals(Set.of(), ids(found)); // key 123457 has no description
        Page<ApiKey> tenant = search("Tenant 199998");
        assertEquals(1, tenant.totalCount()); // only key 199998: 1999980 and up are past the seed
        for (int i = 0; i < indexes.size(); i++) {
            assertTrue(scans(indexes.get(i)) > before.get(i), indexes.get(i) + " was not used");
        }
    }

    @Test
    void statusFiltersUseTheirPartialIndexes() {
        long revoked = scans("api_keys_revoked_by_organization");
        long expiring = scans("api_keys_expiring_by_organization");
        long disabled = scans("api_keys_disabled_by_organization");
        long usable = scans("api_keys_usable_by_organization");
        Page<ApiKey> revokedPage = keys.page(new OrganizationId(BIG), new Filter(null, ApiKeyStatus.REVOKED, Instant.now()),
                new PageRequest(500, 10));
        Page<ApiKey> expiredPage = keys.page(new OrganizationId(BIG), new Filter(null, ApiKeyStatus.EXPIRED, Instant.now()),
                new PageRequest(500, 10));
        // 20,000 each: counted up to the cap
        assertEquals(Page.COUNT_CAP, revokedPage.totalCount());
        assertEquals(Page.COUNT_CAP, expiredPage.totalCount());
        assertFalse(revokedPage.totalCountExact());
        assertTrue(scans("api_keys_revoked_by_organization") > revoked, "status=revoked did not use its index");
        assertTrue(scans("api_keys_expiring_by_organization") > expiring, "status=expired did not use its index");
        Page<ApiKey> disabledPage = keys.page(new OrganizationId(BIG), new Filter(null, ApiKeyStatus.DISABLED, Instant.now()),
                new PageRequest(500, 10));
        Page<ApiKey> activePage = keys.page(new OrganizationId(BIG), new Filter(null, ApiKeyStatus.ACTIVE, Instant.now()),
                new PageRequest(500, 10));
        assertEquals(10, disabledPage.data().size());
        assertEquals(10, activePage.data().size());
        assertTrue(disabledPage.data().stream().allMatch(k -> k.disabledAt().isPresent()));
        assertTrue(activePage.data().stream().allMatch(k -> k.disabledAt().isEmpty()));
        assertTrue(scans("api_keys_disabled_by_organization") > disabled, "status=disabled did not use its index (V23)");
        assertTrue(scans("api_keys_usable_by_organization") > usable, "status=active did not use its index (V23)");
    }

    @Test
    void resultsAreTheSameAsWithoutTheIndexes() {
        Instant now = Instant.now();
        List<Filter> filters = List.of(new Filter("percent", null, now), new Filter("Tenant 1999", null, now),
                new Filter("OK_…A", ApiKeyStatus.ACTIVE, now), new Filter("customer 1", ApiKeyStatus.REVOKED, now),
                new Filter("8", ApiKeyStatus.EXPIRED, now), new Filter(null, ApiKeyStatus.REVOKED, now),
                new Filter(null, ApiKeyStatus.EXPIRED, now), new Filter(null, ApiKeyStatus.ACTIVE, now),
                new Filter(null, ApiKeyStatus.DISABLED, now), new Filter("customer 1", ApiKeyStatus.DISABLED, now));
        for (Filter filter : filters) {
            for (PageRequest page : List.of(new PageRequest(1, 100), new PageRequest(30, 100))) {
                Page<ApiKey> indexed = keys.page(new OrganizationId(BIG), filter, page);
                Page<ApiKey> scanned = withoutIndexes(() -> keys.page(new OrganizationId(BIG), filter, page));
                assertEquals(scanned, indexed, filter + " " + page);
            }
        }
    }

    private static Page<ApiKey> search(String text) {
        return keys.page(new OrganizationId(BIG), new Filter(text, null, Instant.now()), new PageRequest(1, 100));
    }

    private static Set<String> ids(Page<ApiKey> page) {
        assertEquals(page.data().size(), page.totalCount());
        return page.data().stream().map(key -> key.id().value().toString()).collect(Collectors.toSet());
    }

    /** The index's scan count, after the session's own pending statistics are flushed. */
    private static long scans(String index) {
        jdbc.count("SELECT count(*) FROM (SELECT pg_stat_force_next_flush()) f");
        return jdbc.count("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = ?", index);
    }

    /** The plan a database without V7's indexes would run: a sequential scan (the pool's one connection). */
    private static <T> T withoutIndexes(Supplier<T> work) {
        jdbc.update("SET enable_indexscan = off");
        jdbc.update("SET enable_bitmapscan = off");
        jdbc.update("SET enable_indexonlyscan = off");
        try {
            return work.get();
        } finally {
            jdbc.update("RESET ALL");
        }
    }
}
