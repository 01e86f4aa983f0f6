package com.orgkeys.persistence.webhook;

import com.orgkeys.application.webhook.port.out.WebhookEndpointRepository;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import com.orgkeys.domain.webhook.WebhookSecret;
import com.orgkeys.domain.webhook.WebhookUrl;
import com.orgkeys.persistence.database.Jdbc;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Webhook endpoints in {@code webhook_endpoints}. */
public final class JdbcWebhookEndpointRepository implements WebhookEndpointRepository {
    private static final String COLUMNS = """
            id, organization_id, url, description, event_types, enabled, secret, previous_secret,
            previous_secret_until, failing_since, created_at, updated_at""";

    private final Jdbc jdbc;

    public JdbcWebhookEndpointRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void add(WebhookEndpoint e) {
        jdbc.update("INSERT INTO webhook_endpoints (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id().value(), e.organization().map(OrganizationId::value).orElse(null), e.url().toString(),
                e.description(), List.copyOf(e.filter().types()), e.enabled(), e.secret().value(),
                e.previousSecret().map(WebhookSecret::value).orElse(null), e.previousSecretUntil().orElse(null),
                e.failingSince().orElse(null), e.createdAt(), e.updatedAt());
    }

    @Override
    public void update(WebhookEndpoint e) {
        jdbc.update("""
                UPDATE webhook_endpoints SET url = ?, description = ?, event_types = ?, enabled = ?, secret = ?,
                       previous_secret = ?, previous_secret_until = ?, failing_since = ?, updated_at = ?
                WHERE id = ?""",
                e.url().toString(), e.description(), List.copyOf(e.filter().types()), e.enabled(), e.secret().value(),
                e.previousSecret().map(WebhookSecret::value).orElse(null), e.previousSecretUntil().orElse(null),
                e.failingSince().orElse(null), e.updatedAt(), e.id().value());
    }

    @Override
    public Optional<WebhookEndpoint> find(WebhookEndpointId id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = ?",
                JdbcWebhookEndpointRepository::endpoint, id.value());
    }

    @Override
    public Optional<WebhookEndpoint> findForUpdate(WebhookEndpointId id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = ? FOR UPDATE",
                JdbcWebhookEndpointRepository::endpoint, id.value());
    }

    @Override
    public List<WebhookEndpoint> listFor(Optional<OrganizationId> organization) {
        return organization.isPresent()
                ? jdbc.list("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE organization_id = ? ORDER BY created_at, id",
                JdbcWebhookEndpointRepository::endpoint, organization.get().value())
                : jdbc.list("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE organization_id IS NULL ORDER BY created_at, id",
                JdbcWebhookEndpointRepository::endpoint);
    }

    @Override
    public boolean delete(WebhookEndpointId id) {
        return jdbc.update("DELETE FROM webhook_endpoints WHERE id = ?", id.value()) > 0;
    }

    @Override
    public List<WebhookEndpoint> receiving(Optional<OrganizationId> organization, String type) {
        return jdbc.list("SELECT " + COLUMNS + """
                         FROM webhook_endpoints
                        WHERE enabled AND (organization_id IS NULL OR organization_id = ?)
                          AND (cardinality(event_types) = 0 OR ? = ANY (event_types))
                        ORDER BY created_at, id""", JdbcWebhookEndpointRepository::endpoint,
                organization.map(OrganizationId::value).orElse(null), type);
    }

    @Override
    public void markFailing(WebhookEndpointId id, Instant at) {
        jdbc.update("UPDATE webhook_endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL",
                at, id.value());
    }

    @Override
    public void markSucceeding(WebhookEndpointId id) {
        jdbc.update("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL",
                id.value());
    }

    @Override
    public boolean disableIfFailingSince(WebhookEndpointId id, Instant cutoff, Instant now) {
        return jdbc.update("""
                UPDATE webhook_endpoints SET enabled = false, updated_at = ?
                WHERE id = ? AND enabled AND failing_since <= ?""", now, id.value(), cutoff) == 1;
    }

    private static WebhookEndpoint endpoint(ResultSet row) throws SQLException {
        UUID organization = Jdbc.uuid(row, "organization_id");
        return new WebhookEndpoint(new WebhookEndpointId(Jdbc.uuid(row, "id")),
                Optional.ofNullable(organization).map(OrganizationId::new), new WebhookUrl(URI.create(row.getString("url"))),
                row.getString("description"), new EventFilter(new HashSet<>(Jdbc.strings(row, "event_types"))),
                row.getBoolean("enabled"), new WebhookSecret(row.getString("secret")),
                Optional.ofNullable(row.getString("previous_secret")).map(WebhookSecret::new),
                Optional.ofNullable(Jdbc.instant(row, "previous_secret_until")),
                Optional.ofNullable(Jdbc.instant(row, "failing_since")), Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "updated_at"));
    }
}
