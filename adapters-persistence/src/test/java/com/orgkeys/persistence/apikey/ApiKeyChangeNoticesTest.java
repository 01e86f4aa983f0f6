package com.orgkeys.persistence.apikey;

import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.persistence.apikey.listener.RevocationFeed;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.testing.TestPostgres;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which key changes reach the revocation feed: a rename or a new description is nothing verification returns, so it
 * is not announced (each announced commit is serialized with every other by PostgreSQL); a change of scopes is.
 */
class ApiKeyChangeNoticesTest {
    private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    @Test
    void a_rename_is_not_announced_to_other_processes_and_a_change_of_scopes_is() throws Exception {
        DatabaseUrl url = TestPostgres.newDatabase();
        try (HikariDataSource pool = TestPostgres.migratedPool(url, 2);
             Connection listening = TestPostgres.connect(url); Statement sql = listening.createStatement()) {
            Jdbc jdbc = new Jdbc(pool);
            JdbcApiKeyRepository keys = new JdbcApiKeyRepository(jdbc);
            sql.execute("INSERT INTO organizations VALUES ('" + ORG + "', 'Acme', 'acme', now())");
            sql.execute("""
                    INSERT INTO api_keys (id, organization_id, name, description, scopes, secret_hash, hint, created_by, created_at)
                    VALUES (md5('key')::uuid, '%s', 'Deploy', '', '{org:agents:read}', md5('secret'), 'ok_…abcd',
                            'user:00000000-0000-0000-0000-0000000000ff', now())""".formatted(ORG));
            ApiKeyId id = new ApiKeyId(jdbc.list("SELECT id FROM api_keys", row -> Jdbc.uuid(row, "id")).getFirst());
            ApiKey key = keys.find(new OrganizationId(ORG), id).orElseThrow();
            sql.execute("LISTEN " + RevocationFeed.CHANNEL);

            Instant now = Instant.now();
            ApiKey renamed = key.edit("Renamed", "for CI", null, now);
            assertTrue(jdbc.inTransaction(() -> keys.describe(renamed)));
            ApiKey rescoped = renamed.edit(null, null, Set.of(Permission.AGENTS_MANAGE), now);
            assertTrue(jdbc.inTransaction(() -> keys.update(rescoped)));

            jdbc.inTransaction(() -> jdbc.count("SELECT count(pg_notify(?, 'end'))", RevocationFeed.CHANNEL));

            // notifications arrive in commit order: everything the two changes announced comes before the end
            List<String> heard = new ArrayList<>();
            PGConnection pg = listening.unwrap(PGConnection.class);
            for (int polls = 0; !heard.contains("end") && polls < 100; polls++) {
                PGNotification[] got = pg.getNotifications(100);
                if (got != null) for (PGNotification n : got) heard.add(n.getParameter());
            }
            assertEquals(List.of(key.secretHash(), "end"), heard);
            assertEquals("Renamed", keys.find(new OrganizationId(ORG), id).orElseThrow().name());
        }
    }
}
