package com.orgkeys.persistence.database;

import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;

import static com.orgkeys.persistence.database.ClusterUpgrade.Decision.NO_PROGRAMS_TO_UPGRADE_IT;
import static com.orgkeys.persistence.database.ClusterUpgrade.Decision.START;
import static com.orgkeys.persistence.database.ClusterUpgrade.Decision.TOO_NEW;
import static com.orgkeys.persistence.database.ClusterUpgrade.Decision.UPGRADE;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which PostgreSQL orgkeys runs on: the embedded one, what it upgrades, and which external servers it accepts. */
class PostgresVersionTest {
    @Test
    void the_embedded_server_is_postgresql_18() throws Exception {
        try (Connection connection = TestPostgres.connect(TestPostgres.newDatabase());
             ResultSet rows = connection.createStatement().executeQuery("SHOW server_version_num")) {
            rows.next();
            assertEquals(PostgresBinaries.Release.EMBEDDED.major(), rows.getInt(1) / 10_000);
            assertEquals(18, PostgresBinaries.Release.EMBEDDED.major());
            assertEquals(Database.NEWEST_SUPPORTED_MAJOR, PostgresBinaries.Release.EMBEDDED.major());
            assertEquals(Database.OLDEST_SUPPORTED_MAJOR, PostgresBinaries.Release.PREVIOUS.major());
        }
    }

    @Test
    void a_cluster_is_started_as_it_is_upgraded_from_14_and_refused_otherwise() {
        assertEquals(START, ClusterUpgrade.decide(18, 18, 14));
        assertEquals(UPGRADE, ClusterUpgrade.decide(14, 18, 14));
        assertEquals(NO_PROGRAMS_TO_UPGRADE_IT, ClusterUpgrade.decide(15, 18, 14));
        assertEquals(NO_PROGRAMS_TO_UPGRADE_IT, ClusterUpgrade.decide(13, 18, 14));
        assertEquals(TOO_NEW, ClusterUpgrade.decide(19, 18, 14));
    }

    @Test
    void servers_14_to_18_are_accepted_and_others_refused_in_one_line() {
        for (int accepted : new int[]{140000, 140022, 150010, 160006, 170002, 180001}) {
            assertDoesNotThrow(() -> Database.requireSupported(accepted, "db", 14, 18), Integer.toString(accepted));
        }
        var old = assertThrows(Database.UnsupportedVersionException.class,
                () -> Database.requireSupported(130018, "jdbc:postgresql://db:5432/keys", 14, 18));
        assertEquals("the PostgreSQL at jdbc:postgresql://db:5432/keys is version 13.18; orgkeys supports PostgreSQL "
                + "14 to 18: upgrade the server (docs/operations.md)", old.getMessage());
        var newer = assertThrows(Database.UnsupportedVersionException.class,
                () -> Database.requireSupported(190000, "db", 14, 18));
        assertTrue(newer.getMessage().contains("version 19.0; orgkeys supports PostgreSQL 14 to 18"), newer.getMessage());
        assertFalse(newer.getMessage().contains("\n"));
    }

    @Test
    void a_real_server_outside_the_range_is_refused_before_any_migration() throws Exception {
        DatabaseUrl url = TestPostgres.newDatabase();
        var refused = assertThrows(Database.UnsupportedVersionException.class, () -> Database.connect(url, 2, 14, 17));
        assertTrue(refused.getMessage().contains("is version 18."), refused.getMessage());
        assertFalse(refused.getMessage().contains("password"), refused.getMessage());
        try (Connection connection = TestPostgres.connect(url);
             ResultSet rows = connection.createStatement().executeQuery("SELECT to_regclass('public.users') IS NULL")) {
            rows.next();
            assertTrue(rows.getBoolean(1), "no migration ran");
        }
        assertDoesNotThrow(() -> Database.connect(url, 2, 14, 18).close());
    }
}
