package com.orgkeys.persistence.database;

import com.orgkeys.persistence.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V13 (email verification) counts the accounts that existed before it as verified, at their creation time: they
 * cannot be asked retroactively, and what they did before the upgrade must keep working. Accounts made after it
 * start unverified.
 */
class ExistingAccountsVerifiedTest {
    @Test
    void accounts_from_before_v13_are_verified_as_of_their_creation_and_later_ones_are_not() throws Exception {
        DatabaseUrl url = TestPostgres.newDatabase();
        Flyway.configure().dataSource(url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null))
                .locations("classpath:db/migration").target("12").load().migrate();
        try (Connection connection = TestPostgres.connect(url); Statement sql = connection.createStatement()) {
            sql.execute("""
                    INSERT INTO users (id, email, name, password_hash, created_at)
                    VALUES ('00000000-0000-0000-0000-000000000001', 'before@example.com', 'Before', 'x',
                            '2026-01-02T03:04:05Z')""");
        }

        Database.connect(url, 2).close(); // every migration since

        try (Connection connection = TestPostgres.connect(url); Statement sql = connection.createStatement()) {
            sql.execute("""
                    INSERT INTO users (id, email, name, password_hash, created_at)
                    VALUES ('00000000-0000-0000-0000-000000000002', 'after@example.com', 'After', 'x', now())""");
            try (ResultSet rows = sql.executeQuery("""
                    SELECT email, email_verified_at = created_at AS verified_at_creation, email_verified_at IS NULL AS unverified
                    FROM users ORDER BY email""")) {
                assertTrue(rows.next());
                assertEquals("after@example.com", rows.getString("email"));
                assertTrue(rows.getBoolean("unverified"), "made after V13: not verified until it is");
                assertTrue(rows.next());
                assertEquals("before@example.com", rows.getString("email"));
                assertTrue(rows.getBoolean("verified_at_creation"));
            }
        }
    }
}
