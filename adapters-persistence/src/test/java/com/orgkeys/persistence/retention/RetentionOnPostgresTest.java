package com.orgkeys.persistence.retention;

import com.orgkeys.application.retention.port.in.PurgeEndedRecordsUseCase.Purged;
import com.orgkeys.application.retention.service.RetentionService;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.persistence.account.JdbcSessionRepository;
import com.orgkeys.persistence.account.JdbcUserRepository;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.invitation.JdbcInvitationRepository;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retention job as two nodes run it: while one holds the advisory lock, the other's run does nothing. */
class RetentionOnPostgresTest {
    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");

    private final DatabaseUrl url = TestPostgres.newDatabase();
    private final Database database = Database.connect(url, 4);
    private final Jdbc jdbc = new Jdbc(database.dataSource());
    private final JdbcSessionRepository sessions = new JdbcSessionRepository(jdbc);
    private final RetentionService retention = new RetentionService(sessions, new JdbcInvitationRepository(jdbc),
            new AdvisoryJobLock(jdbc, AdvisoryJobLock.RETENTION_KEY), Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofDays(30));

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void a_second_node_skips_the_run_while_the_first_holds_the_lock() throws SQLException {
        Session ended = endedSession();

        try (Connection otherNode = TestPostgres.connect(url)) {
            otherNode.setAutoCommit(false);
            try (var statement = otherNode.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                statement.setLong(1, AdvisoryJobLock.RETENTION_KEY);
                statement.execute();
            }

            assertEquals(new Purged(0, 0, true), retention.purge());
            assertTrue(sessions.findByTokenHash(ended.tokenHash()).isPresent());

            otherNode.commit(); // the other node's batch is done: the lock is free again
        }
        assertEquals(new Purged(1, 0, false), retention.purge());
        assertEquals(Optional.empty(), sessions.findByTokenHash(ended.tokenHash()));
    }

    private Session endedSession() {
        Instant longAgo = NOW.minus(Duration.ofDays(100));
        User user = new User(UserId.random(), new Email("alice@example.com"), "Alice", "hash", longAgo);
        new JdbcUserRepository(jdbc).insert(user);
        Session session = new Session(SessionId.random(), user.id(), "token-" + UUID.randomUUID(), Optional.empty(),
                longAgo, longAgo, "Firefox", "203.0.113.7", Optional.empty());
        sessions.insert(session);
        return session;
    }
}
