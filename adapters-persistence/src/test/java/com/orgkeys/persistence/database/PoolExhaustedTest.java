package com.orgkeys.persistence.database;

import com.orgkeys.domain.shared.UnavailableException;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A pool whose every connection is in use answers "busy", not "not reachable": an operator reading the log is sent
 * to the pool's size and the load, not to the network.
 */
class PoolExhaustedTest {

    @Test
    void a_request_that_finds_no_free_connection_is_unavailable_because_the_database_is_busy() throws Exception {
        try (Database database = Database.connect(TestPostgres.newDatabase(), 2); // the fewest Flyway works with
             Connection held = database.dataSource().getConnection();
             Connection alsoHeld = database.dataSource().getConnection()) {
            Jdbc jdbc = new Jdbc(database.dataSource());
            var failure = assertThrows(UnavailableException.class, () -> jdbc.count("SELECT 1"));
            assertEquals("the database is busy: every connection stayed in use too long", failure.getMessage());
            held.close();
            assertEquals(1, jdbc.count("SELECT 1"), "the connection given back serves the next request");
        }
    }
}
