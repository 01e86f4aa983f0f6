package com.orgkeys.bootstrap.security;

import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.testing.TestPostgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A fingerprint of every table's content, to prove that a series of refused requests changed nothing. */
final class DatabaseSnapshot {
    private DatabaseSnapshot() {
    }

    static Map<String, String> take(DatabaseUrl database) throws SQLException {
        Map<String, String> fingerprint = new TreeMap<>();
        try (Connection connection = TestPostgres.connect(database)) {
            List<String> tables = new ArrayList<>();
            try (var rows = connection.createStatement().executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
                while (rows.next()) tables.add(rows.getString(1));
            }
            for (String table : tables) {
                // sessions: lastActiveAt may be touched by reads; outbox messages: the worker sends them (the sign-up
                // mails of the setup) whenever it runs. Of both, only their number counts.
                String sql = table.equals("sessions") || table.equals("outbox_messages")
                        ? "SELECT count(*)::text FROM \"" + table + "\""
                        : "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \"" + table + "\" t";
                try (var rows = connection.createStatement().executeQuery(sql)) {
                    rows.next();
                    fingerprint.put(table, rows.getString(1));
                }
            }
        }
        return fingerprint;
    }
}
