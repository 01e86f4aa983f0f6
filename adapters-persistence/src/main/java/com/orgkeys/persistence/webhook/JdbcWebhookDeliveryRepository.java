package com.orgkeys.persistence.webhook;

import com.orgkeys.application.webhook.port.out.ClaimedDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDeliveryRepository;
import com.orgkeys.application.webhook.port.out.WebhookMessage;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.database.Keyset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Webhook messages, deliveries and attempts in {@code webhook_messages}, {@code _deliveries}, {@code _attempts}. */
public final class JdbcWebhookDeliveryRepository implements WebhookDeliveryRepository {
    private static final String ATTEMPT_COLUMNS = """
            id, delivery_id, endpoint_id, message_id, event_type, attempt, attempted_at, succeeded, response_status,
            latency_ms, response_body, error""";

    /** The attempt list: newest first, by time then id (index webhook_attempts_endpoint). */
    private static final Keyset ATTEMPTS = new Keyset("attempted_at", "id", true, UUID::fromString);

    private final Jdbc jdbc;

    public JdbcWebhookDeliveryRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void add(WebhookMessage message, List<WebhookDelivery> deliveries) {
        jdbc.inTransaction(() -> {
            jdbc.update("INSERT INTO webhook_messages (id, organization_id, type, body, created_at) VALUES (?, ?, ?, ?, ?)",
                    message.id(), message.organization().map(OrganizationId::value).orElse(null), message.type(),
                    message.body(), message.createdAt());
            for (WebhookDelivery d : deliveries) {
                jdbc.update("""
                        INSERT INTO webhook_deliveries (id, message_id, endpoint_id, status, attempts, next_attempt_at,
                                                        created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""", d.id(), d.messageId(), d.endpointId().value(), d.status(),
                        d.attempts(), d.nextAttemptAt(), d.createdAt());
            }
        });
    }

    @Override
    public List<ClaimedDelivery> claimDue(Instant now, Instant leaseUntil, int limit) {
        // SKIP LOCKED: rows another worker is claiming are its own; the lease keeps them from being claimed again
        // after that worker commits, until it records the outcome or dies and the lease ends
        return jdbc.inTransaction(() -> jdbc.list("""
                WITH claimed AS (
                    UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = ?
                     WHERE id IN (SELECT id FROM webhook_deliveries
                                   WHERE status = 'PENDING' AND next_attempt_at <= ?
                                   ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING id, message_id, endpoint_id, attempts, created_at)
                SELECT c.id, c.endpoint_id, c.message_id, m.type, m.body, c.attempts
                  FROM claimed c JOIN webhook_messages m ON m.id = c.message_id
                 ORDER BY c.created_at""",
                row -> new ClaimedDelivery(Jdbc.uuid(row, "id"), new WebhookEndpointId(Jdbc.uuid(row, "endpoint_id")),
                        row.getString("message_id"), row.getString("type"), row.getString("body"),
                        row.getInt("attempts")),
                leaseUntil, now, limit));
    }

    @Override
    public void finish(WebhookAttempt a, Optional<Instant> retryAt) {
        jdbc.inTransaction(() -> {
            // only the latest claim's outcome counts: a worker whose lease ended and was claimed again is late
            int current = jdbc.update("""
                    UPDATE webhook_deliveries SET status = ?, next_attempt_at = COALESCE(?, next_attempt_at)
                    WHERE id = ? AND attempts = ? AND status = 'PENDING'""",
                    a.succeeded() ? "SUCCEEDED" : retryAt.isPresent() ? "PENDING" : "FAILED", retryAt.orElse(null),
                    a.deliveryId(), a.attempt());
            if (current == 0 && jdbc.count("SELECT count(*) FROM webhook_deliveries WHERE id = ?", a.deliveryId()) == 0) {
                return; // the endpoint was deleted meanwhile, with its deliveries
            }
            jdbc.update("INSERT INTO webhook_attempts (" + ATTEMPT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    a.id(), a.deliveryId(), a.endpointId().value(), a.messageId(), a.eventType(), a.attempt(),
                    a.attemptedAt(), a.succeeded(), a.responseStatus().orElse(null), a.latencyMillis(), a.responseBody(),
                    a.error().orElse(null));
        });
    }

    @Override
    public int endUnfinishedClaims(Instant now) {
        // a claim counts one more attempt; its outcome, once recorded, is the attempt row of that number
        return jdbc.inTransaction(() -> jdbc.update("""
                UPDATE webhook_deliveries d SET next_attempt_at = ?
                 WHERE d.status = 'PENDING' AND d.attempts > 0 AND d.next_attempt_at > ?
                   AND NOT EXISTS (SELECT 1 FROM webhook_attempts a
                                    WHERE a.delivery_id = d.id AND a.attempt = d.attempts)""", now, now));
    }

    @Override
    public Optional<WebhookDelivery> findDelivery(UUID id) {
        return jdbc.one("""
                SELECT id, message_id, endpoint_id, status, attempts, next_attempt_at, created_at
                  FROM webhook_deliveries WHERE id = ?""",
                row -> new WebhookDelivery(Jdbc.uuid(row, "id"), row.getString("message_id"),
                        new WebhookEndpointId(Jdbc.uuid(row, "endpoint_id")),
                        WebhookDelivery.Status.valueOf(row.getString("status")), row.getInt("attempts"),
                        Jdbc.instant(row, "next_attempt_at"), Jdbc.instant(row, "created_at")), id);
    }

    @Override
    public Optional<WebhookMessage> findMessage(String id) {
        return jdbc.one("SELECT id, organization_id, type, body, created_at FROM webhook_messages WHERE id = ?",
                row -> new WebhookMessage(row.getString("id"),
                        Optional.ofNullable(Jdbc.uuid(row, "organization_id")).map(OrganizationId::new),
                        row.getString("type"), row.getString("body"), Jdbc.instant(row, "created_at")), id);
    }

    @Override
    public List<WebhookAttempt> attempts(WebhookEndpointId endpoint, int limit) {
        return jdbc.list("SELECT " + ATTEMPT_COLUMNS + " FROM webhook_attempts WHERE endpoint_id = ?"
                        + " ORDER BY attempted_at DESC, id LIMIT ?", JdbcWebhookDeliveryRepository::attempt,
                endpoint.value(), limit);
    }

    @Override
    public Page<WebhookAttempt> attemptPage(WebhookEndpointId endpoint, PageRequest page) {
        return ATTEMPTS.page(jdbc, ATTEMPT_COLUMNS, "webhook_attempts", "webhook_attempts", "endpoint_id = ?",
                List.of(endpoint.value()), JdbcWebhookDeliveryRepository::attempt, page,
                Cursor.list("webhook-attempts", endpoint));
    }

    @Override
    public boolean wasSent(WebhookEndpointId endpoint, String messageId) {
        return jdbc.count("SELECT count(*) FROM (SELECT 1 FROM webhook_deliveries WHERE endpoint_id = ? AND message_id = ?"
                + " LIMIT 1) AS sent", endpoint.value(), messageId) > 0;
    }

    @Override
    public void addDelivery(WebhookDelivery d) {
        jdbc.update("""
                INSERT INTO webhook_deliveries (id, message_id, endpoint_id, status, attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", d.id(), d.messageId(), d.endpointId().value(), d.status(),
                d.attempts(), d.nextAttemptAt(), d.createdAt());
    }

    @Override
    public int deleteSettledBefore(Instant cutoff, int limit) {
        // oldest first through V32's index; deliveries and attempts go by ON DELETE CASCADE. SKIP LOCKED: a message
        // a replay is adding a delivery to (its key share lock) is left for the next run.
        return jdbc.update("""
                DELETE FROM webhook_messages WHERE id IN (
                    SELECT m.id FROM webhook_messages m
                     WHERE m.created_at < ?
                       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                                        WHERE d.message_id = m.id
                                          AND (d.created_at >= ?
                                               OR (d.status = 'PENDING' AND EXISTS (
                                                   SELECT 1 FROM webhook_endpoints e
                                                    WHERE e.id = d.endpoint_id AND e.enabled))))
                     ORDER BY m.created_at LIMIT ? FOR UPDATE OF m SKIP LOCKED)""", cutoff, cutoff, limit);
    }

    private static WebhookAttempt attempt(ResultSet row) throws SQLException {
        int status = row.getInt("response_status");
        Optional<Integer> responseStatus = row.wasNull() ? Optional.empty() : Optional.of(status);
        return new WebhookAttempt(Jdbc.uuid(row, "id"), Jdbc.uuid(row, "delivery_id"),
                new WebhookEndpointId(Jdbc.uuid(row, "endpoint_id")), row.getString("message_id"),
                row.getString("event_type"), row.getInt("attempt"), Jdbc.instant(row, "attempted_at"),
                row.getBoolean("succeeded"), responseStatus, row.getLong("latency_ms"), row.getString("response_body"),
                Optional.ofNullable(row.getString("error")));
    }
}
