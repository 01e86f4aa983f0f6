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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retention deletes over 100,000 live sessions and invitations find their few ended rows through V8's indexes
 * (a BitmapOr of one index per arm) rather than reading the table.
 */
class RetentionIndexesTest {
    private static Connection connection;

    @BeforeAll
    static void seed() throws SQLException {
        DatabaseUrl url = TestPostgres.newDatabase();
        Database.connect(url, 2).close(); // migrated
        connection = TestPostgres.connect(url);
        try (Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO users (id, email, name, password_hash, created_at) "
                    + "VALUES ('00000000-0000-0000-0000-0000000000ff', 'a@example.com', 'A', 'h', now())");
            sql.execute("INSERT INTO organizations VALUES ('00000000-0000-0000-0000-00000000000a', 'A', 'a', now())");
            // 100,000 live rows and 100 that ended long ago
            sql.execute("""
                    INSERT INTO sessions (id, user_id, token_hash, created_at, last_active_at, revoked_at)
                    SELECT gen_random_uuid(), '00000000-0000-0000-0000-0000000000ff', md5(g::text),
                           CASE WHEN g > 100000 THEN now() - interval '100 days' ELSE now() - interval '1 day' END,
                           CASE WHEN g > 100000 THEN now() - interval '99 days' ELSE now() END, NULL
                    FROM generate_series(1, 100100) g""");
            sql.execute("""
                    INSERT INTO invitations (id, organization_id, email, role_key, token_hash, invited_by, created_at,
                                             expires_at)
                    SELECT gen_random_uuid(), '00000000-0000-0000-0000-00000000000a', g || '@example.com', 'member',
                           md5(g::text), '00000000-0000-0000-0000-0000000000ff',
                           CASE WHEN g > 100000 THEN now() - interval '100 days' ELSE now() END,
                           CASE WHEN g > 100000 THEN now() - interval '93 days' ELSE now() + interval '7 days' END
                    FROM generate_series(1, 100100) g""");
            sql.execute("VACUUM ANALYZE sessions");
            sql.execute("VACUUM ANALYZE invitations");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        if (connection != null) connection.close();
    }

    @Test
    void the_session_purge_uses_an_index_per_arm() throws SQLException {
        String plan = plan("""
                EXPLAIN DELETE FROM sessions WHERE id IN (
                    SELECT id FROM sessions
                     WHERE revoked_at < now() - interval '30 days' OR last_active_at < now() - interval '37 days'
                        OR created_at < now() - interval '60 days'
                     LIMIT 1000)""");
        for (String index : List.of("sessions_revoked_at", "sessions_last_active_at", "sessions_created_at")) {
            assertTrue(plan.contains(index), index + " not in\n" + plan);
        }
    }

    @Test
    void the_invitation_purge_uses_an_index_per_arm() throws SQLException {
        String plan = plan("""
                EXPLAIN DELETE FROM invitations WHERE id IN (
                    SELECT id FROM invitations
                     WHERE accepted_at < now() - interval '30 days' OR revoked_at < now() - interval '30 days'
                        OR expires_at < now() - interval '30 days'
                     LIMIT 1000)""");
        for (String index : List.of("invitations_accepted_at", "invitations_revoked_at", "invitations_expires_at")) {
            assertTrue(plan.contains(index), index + " not in\n" + plan);
        }
    }

    private static String plan(String explain) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement sql = connection.createStatement(); var rows = sql.executeQuery(explain)) {
            while (rows.next()) lines.add(rows.getString(1));
        }
        return String.join("\n", lines);
    }
}
