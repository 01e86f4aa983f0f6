package com.orgkeys.persistence.outbox;

import com.orgkeys.application.outbox.port.out.OutboxMessage;
import com.orgkeys.application.outbox.port.out.OutboxRepository;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The outbox in {@code outbox_messages}; the payload is a flat jsonb object of strings. */
public final class JdbcOutboxRepository implements OutboxRepository {
    private static final String COLUMNS = """
            id, kind, created_at, available_at, attempts, last_error, sent_at, dead_at,
            ARRAY(SELECT key FROM jsonb_each_text(payload) ORDER BY key) AS payload_keys,
            ARRAY(SELECT value FROM jsonb_each_text(payload) ORDER BY key) AS payload_values""";
    private static final String DUE = "sent_at IS NULL AND dead_at IS NULL";

    private final Jdbc jdbc;

    public JdbcOutboxRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void add(OutboxMessage message) {
        List<String> keysAndValues = new ArrayList<>();
        message.payload().forEach((key, value) -> {
            keysAndValues.add(key);
            keysAndValues.add(value);
        });
        jdbc.update("""
                INSERT INTO outbox_messages (id, kind, payload, created_at, available_at, attempts, last_error,
                                             sent_at, dead_at)
                VALUES (?, ?, jsonb_object(?::text[]), ?, ?, ?, ?, ?, ?)""",
                message.id().value(), message.kind(), keysAndValues, message.createdAt(), message.availableAt(),
                message.attempts(), message.lastError().orElse(null), message.sentAt().orElse(null),
                message.deadAt().orElse(null));
    }

    @Override
    public List<OutboxMessage> claimDue(Instant now, int limit) {
        // SKIP LOCKED: rows another worker holds are its to deliver; this one takes the next ones
        return jdbc.list("SELECT " + COLUMNS + " FROM outbox_messages WHERE " + DUE + " AND available_at <= ?"
                        + " ORDER BY available_at LIMIT ? FOR UPDATE SKIP LOCKED",
                JdbcOutboxRepository::message, now, limit);
    }

    @Override
    public void markSent(OutboxMessage.Id id, Instant at) {
        jdbc.update("UPDATE outbox_messages SET sent_at = ?, payload = '{}' WHERE id = ?", at, id.value());
    }

    @Override
    public void markFailed(OutboxMessage.Id id, int attempts, String error, Instant retryAt) {
        jdbc.update("UPDATE outbox_messages SET attempts = ?, last_error = ?, available_at = ? WHERE id = ?",
                attempts, error, retryAt, id.value());
    }

    @Override
    public void markDead(OutboxMessage.Id id, int attempts, String error, Instant at) {
        jdbc.update("UPDATE outbox_messages SET attempts = ?, last_error = ?, dead_at = ?, payload = '{}' WHERE id = ?",
                attempts, error, at, id.value());
    }

    @Override
    public Optional<OutboxMessage> find(OutboxMessage.Id id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM outbox_messages WHERE id = ?", JdbcOutboxRepository::message,
                id.value());
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        return jdbc.update("""
                DELETE FROM outbox_messages WHERE id IN (
                    SELECT id FROM outbox_messages WHERE sent_at < ? OR dead_at < ? LIMIT ?)""", cutoff, cutoff, limit);
    }

    private static OutboxMessage message(ResultSet row) throws SQLException {
        List<String> keys = Jdbc.strings(row, "payload_keys");
        List<String> values = Jdbc.strings(row, "payload_values");
        Map<String, String> payload = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) payload.put(keys.get(i), values.get(i));
        return new OutboxMessage(new OutboxMessage.Id(Jdbc.uuid(row, "id")), row.getString("kind"), payload,
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "available_at"), row.getInt("attempts"),
                Optional.ofNullable(row.getString("last_error")), Optional.ofNullable(Jdbc.instant(row, "sent_at")),
                Optional.ofNullable(Jdbc.instant(row, "dead_at")));
    }
}
