package com.orgkeys.persistence.database;

import com.orgkeys.application.apikey.port.out.ApiKeyRepository.Filter;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.persistence.agent.JdbcAgentRepository;
import com.orgkeys.persistence.apikey.JdbcApiKeyRepository;
import com.orgkeys.persistence.audit.JdbcAuditLog;
import com.orgkeys.persistence.membership.JdbcMembershipRepository;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every list counts exactly up to 10,000 rows; at 10,001 it says 10,000, not exact; a search counts up to 1,000
 * (rows inserted with SQL).
 */
class CappedCountTest {
    private static final UUID TEN_THOUSAND = UUID.fromString("00000000-0000-0000-0000-000000010000");
    private static final UUID ONE_MORE = UUID.fromString("00000000-0000-0000-0000-000000010001");
    private static Database database;

    @BeforeAll
    static void seed() throws SQLException {
        DatabaseUrl url = TestPostgres.newDatabase();
        database = Database.connect(url, 2);
        try (Connection connection = TestPostgres.connect(url); Statement sql = connection.createStatement()) {
            for (var org : Map.of(TEN_THOUSAND, 10_000, ONE_MORE, 10_001).entrySet()) {
                String id = org.getKey().toString();
                int rows = org.getValue();
                sql.execute("INSERT INTO organizations VALUES ('%s', 'Org %d', 'org-%d', now())".formatted(id, rows, rows));
                sql.execute("""
                        INSERT INTO api_keys (id, organization_id, name, scopes, secret_hash, hint, created_by, created_at)
                        SELECT gen_random_uuid(), '%1$s', 'key ' || g, '{}', '%1$s' || g, 'ok_…abcd',
                               'user:00000000-0000-0000-0000-0000000000ff', now() - g * interval '1 ms'
                        FROM generate_series(1, %2$d) g""".formatted(id, rows));
                sql.execute("""
                        INSERT INTO agents (organization_id, id, name, model, created_at, created_by)
                        SELECT '%1$s', 'agent-' || g, 'agent ' || g, 'm', now(), 'user:00000000-0000-0000-0000-0000000000ff'
                        FROM generate_series(1, %2$d) g""".formatted(id, rows));
                sql.execute("""
                        INSERT INTO audit_events (id, organization_id, actor, action, occurred_at)
                        SELECT gen_random_uuid(), '%1$s', 'user:00000000-0000-0000-0000-0000000000ff', 'x', now()
                        FROM generate_series(1, %2$d) g""".formatted(id, rows));
                sql.execute("""
                        WITH u AS (INSERT INTO users (id, email, name, password_hash, created_at)
                                   SELECT gen_random_uuid(), 'u' || g || '-%1$s@example.com', 'U', 'x', now()
                                   FROM generate_series(1, %2$d) g RETURNING id)
                        INSERT INTO memberships (organization_id, user_id, role_key, joined_at)
                        SELECT '%1$s', id, 'org:member', now() FROM u""".formatted(id, rows));
                // the search cap's edge: SEARCH_COUNT_CAP and one more keys and agents match "needle"
                int matching = rows - Page.COUNT_CAP + Page.SEARCH_COUNT_CAP;
                sql.execute("UPDATE api_keys SET description = 'a NEEDLE here' WHERE organization_id = '%s' AND name IN (SELECT 'key ' || g FROM generate_series(1, %d) g)"
                        .formatted(id, matching));
                sql.execute("UPDATE agents SET description = 'a NEEDLE here' WHERE organization_id = '%s' AND id IN (SELECT 'agent-' || g FROM generate_series(1, %d) g)"
                        .formatted(id, matching));
            }
        }
    }

    @AfterAll
    static void close() {
        if (database != null) database.close();
    }

    @Test
    void api_keys() {
        var keys = new JdbcApiKeyRepository(new Jdbc(database.dataSource()));
        check(org -> keys.page(org, new Filter(null, null, Instant.now()), PageRequest.first(10)), Page.COUNT_CAP);
        check(org -> keys.page(org, new Filter("needle", null, Instant.now()), PageRequest.first(10)), Page.SEARCH_COUNT_CAP);
    }

    @Test
    void agents() {
        var agents = new JdbcAgentRepository(new Jdbc(database.dataSource()));
        check(org -> agents.page(org, PageRequest.first(10)), Page.COUNT_CAP);
        check(org -> agents.page(org, "needle", PageRequest.first(10)), Page.SEARCH_COUNT_CAP);
    }

    @Test
    void audit_events() {
        var audit = new JdbcAuditLog(new Jdbc(database.dataSource()));
        check(org -> audit.page(org, PageRequest.first(10)), Page.COUNT_CAP);
    }

    @Test
    void members() {
        var members = new JdbcMembershipRepository(new Jdbc(database.dataSource()));
        check(org -> members.page(org, PageRequest.first(10)), Page.COUNT_CAP);
    }

    /** The first organization's list has {@code cap} rows, the second's one more. */
    private static void check(Function<OrganizationId, Page<?>> list, int cap) {
        Page<?> exact = list.apply(new OrganizationId(TEN_THOUSAND));
        assertEquals(cap, exact.totalCount());
        assertEquals(true, exact.totalCountExact());
        Page<?> capped = list.apply(new OrganizationId(ONE_MORE));
        assertEquals(cap, capped.totalCount());
        assertEquals(false, capped.totalCountExact());
        assertEquals(10, capped.data().size());
    }
}
