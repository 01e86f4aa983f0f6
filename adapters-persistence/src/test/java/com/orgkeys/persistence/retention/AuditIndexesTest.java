package com.orgkeys.persistence.retention;

import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over 100,000 audit events in two organizations, a retention batch reads the oldest through V10's index and an
 * export batch seeks its organization's index to the cursor; neither reads the table.
 */
class AuditIndexesTest {
    private static Connection connection;

    @BeforeAll
    static void seed() throws SQLException {
        DatabaseUrl url = TestPostgres.newDatabase();
        Database.connect(url, 2).close(); // migrated
        connection = TestPostgres.connect(url);
        try (Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO organizations VALUES ('00000000-0000-0000-0000-00000000000a', 'A', 'a', now())");
            sql.execute("INSERT INTO organizations VALUES ('00000000-0000-0000-0000-00000000000b', 'B', 'b', now())");
            sql.execute("""
                    INSERT INTO audit_events (id, organization_id, actor, action, occurred_at)
                    SELECT gen_random_uuid(), CASE WHEN g % 2 = 0 THEN '00000000-0000-0000-0000-00000000000a'::uuid
                                                   ELSE '00000000-0000-0000-0000-00000000000b'::uuid END,
                           'user:x', 'member.added', now() - make_interval(mins => g)
                    FROM generate_series(1, 100000) g""");
            sql.execute("VACUUM ANALYZE audit_events");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        if (connection != null) connection.close();
    }

    @Test
    void a_retention_batch_reads_the_oldest_through_the_occurred_at_index() throws SQLException {
        String plan = plan("""
                EXPLAIN DELETE FROM audit_events WHERE id IN (
                    SELECT id FROM audit_events WHERE occurred_at < now() - interval '365 days'
                     ORDER BY occurred_at, id LIMIT 1000)""");
        assertTrue(plan.contains("audit_events_occurred_at"), plan);
        assertFalse(plan.contains("Seq Scan"), plan);
    }

    @Test
    void an_export_batch_seeks_the_organizations_index_to_its_cursor() throws SQLException {
        String plan = plan("""
                EXPLAIN SELECT * FROM audit_events
                 WHERE organization_id = '00000000-0000-0000-0000-00000000000a'
                   AND occurred_at >= now() - interval '100 days'
                   AND (occurred_at, id) > (now() - interval '100 days', '00000000-0000-0000-0000-000000000000')
                 ORDER BY occurred_at, id LIMIT 1000""");
        assertTrue(plan.contains("Index Cond") && plan.contains("organization_id"), plan);
        assertFalse(plan.contains("Seq Scan"), plan);
    }

    private static String plan(String explain) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement sql = connection.createStatement(); var rows = sql.executeQuery(explain)) {
            while (rows.next()) lines.add(rows.getString(1));
        }
        return String.join("\n", lines);
    }
}
