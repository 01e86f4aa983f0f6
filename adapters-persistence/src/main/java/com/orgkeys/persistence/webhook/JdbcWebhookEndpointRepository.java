package com.orgkeys.persistence.webhook;

import com.orgkeys.application.webhook.port.out.WebhookEndpointRepository;
import com.orgkeys.application.webhook.port.out.WebhookSecretSealer;
import com.orgkeys.application.webhook.port.out.WebhookSecretSealer.Sealed;
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

/**
 * Webhook endpoints in {@code webhook_endpoints}, their secrets sealed by a {@link WebhookSecretSealer} (never stored
 * in the clear; rows from before V32 are read as they are until {@link #sealPlaintextSecrets} has sealed them).
 */
public final class JdbcWebhookEndpointRepository implements WebhookEndpointRepository {
    private static final String COLUMNS = """
            id, organization_id, url, description, event_types, enabled, secret_key_version, secret_sealed,
            previous_secret_sealed, previous_secret_until, failing_since, created_at, updated_at""";
    private static final String READ_COLUMNS = COLUMNS + ", secret, previous_secret";

    private final Jdbc jdbc;
    private final WebhookSecretSealer sealer;

    public JdbcWebhookEndpointRepository(Jdbc jdbc, WebhookSecretSealer sealer) {
        this.jdbc = jdbc;
        this.sealer = java.util.Objects.requireNonNull(sealer, "sealer");
    }

    @Override
    public void add(WebhookEndpoint e) {
        Sealed secret = sealer.seal(e.id(), e.secret());
        jdbc.update("INSERT INTO webhook_endpoints (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id().value(), e.organization().map(OrganizationId::value).orElse(null), e.url().toString(),
                e.description(), List.copyOf(e.filter().types()), e.enabled(), secret.keyVersion(), secret.ciphertext(),
                sealedPrevious(e, secret.keyVersion()), e.previousSecretUntil().orElse(null),
                e.failingSince().orElse(null), e.createdAt(), e.updatedAt());
    }

    @Override
    public void update(WebhookEndpoint e) {
        // sealed again, under the current key version, on every write (a plaintext row is sealed by it too)
        Sealed secret = sealer.seal(e.id(), e.secret());
        jdbc.update("""
                UPDATE webhook_endpoints SET url = ?, description = ?, event_types = ?, enabled = ?, secret = NULL,
                       previous_secret = NULL, secret_key_version = ?, secret_sealed = ?, previous_secret_sealed = ?,
                       previous_secret_until = ?, failing_since = ?, updated_at = ?
                WHERE id = ?""",
                e.url().toString(), e.description(), List.copyOf(e.filter().types()), e.enabled(), secret.keyVersion(),
                secret.ciphertext(), sealedPrevious(e, secret.keyVersion()), e.previousSecretUntil().orElse(null),
                e.failingSince().orElse(null), e.updatedAt(), e.id().value());
    }

    @Override
    public Optional<WebhookEndpoint> find(WebhookEndpointId id) {
        return jdbc.one("SELECT " + READ_COLUMNS + " FROM webhook_endpoints WHERE id = ?",
                this::endpoint, id.value());
    }

    @Override
    public Optional<WebhookEndpoint> findForUpdate(WebhookEndpointId id) {
        return jdbc.one("SELECT " + READ_COLUMNS + " FROM webhook_endpoints WHERE id = ? FOR UPDATE",
                this::endpoint, id.value());
    }

    @Override
    public List<WebhookEndpoint> listFor(Optional<OrganizationId> organization) {
        return organization.isPresent()
                ? jdbc.list("SELECT " + READ_COLUMNS + " FROM webhook_endpoints WHERE organization_id = ? ORDER BY created_at, id",
                this::endpoint, organization.get().value())
                : jdbc.list("SELECT " + READ_COLUMNS + " FROM webhook_endpoints WHERE organization_id IS NULL ORDER BY created_at, id",
                this::endpoint);
    }

    @Override
    public boolean delete(WebhookEndpointId id) {
        return jdbc.update("DELETE FROM webhook_endpoints WHERE id = ?", id.value()) > 0;
    }

    @Override
    public List<WebhookEndpointId> receiving(Optional<OrganizationId> organization, String type) {
        return jdbc.list("""
                       SELECT id FROM webhook_endpoints
                        WHERE enabled AND (organization_id IS NULL OR organization_id = ?)
                          AND (cardinality(event_types) = 0 OR ? = ANY (event_types))
                        ORDER BY created_at, id""", row -> new WebhookEndpointId(Jdbc.uuid(row, "id")),
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

    /**
     * Seals up to {@code limit} secrets stored in the clear (rows from before V32) and clears the plaintext; rows
     * another node is sealing are skipped. How many were sealed: call until it returns fewer than {@code limit}.
     */
    public int sealPlaintextSecrets(int limit) {
        return jdbc.inTransaction(() -> {
            List<WebhookEndpoint> plain = jdbc.list("SELECT " + READ_COLUMNS
                    + " FROM webhook_endpoints WHERE secret IS NOT NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                    this::endpoint, limit);
            for (WebhookEndpoint e : plain) {
                Sealed secret = sealer.seal(e.id(), e.secret());
                jdbc.update("""
                        UPDATE webhook_endpoints SET secret = NULL, previous_secret = NULL, secret_key_version = ?,
                               secret_sealed = ?, previous_secret_sealed = ?
                        WHERE id = ?""", secret.keyVersion(), secret.ciphertext(), sealedPrevious(e, secret.keyVersion()),
                        e.id().value());
            }
            return plain.size();
        });
    }

    /** The previous secret sealed under the same key version as the current one (one version column for both). */
    private byte[] sealedPrevious(WebhookEndpoint e, int keyVersion) {
        return e.previousSecret().map(previous -> {
            Sealed sealed = sealer.seal(e.id(), previous);
            if (sealed.keyVersion() != keyVersion) throw new IllegalStateException("server key rotated while sealing");
            return sealed.ciphertext();
        }).orElse(null);
    }

    private WebhookEndpoint endpoint(ResultSet row) throws SQLException {
        UUID organization = Jdbc.uuid(row, "organization_id");
        WebhookEndpointId id = new WebhookEndpointId(Jdbc.uuid(row, "id"));
        WebhookSecret secret;
        Optional<WebhookSecret> previous;
        byte[] sealed = row.getBytes("secret_sealed");
        if (sealed != null) {
            int version = row.getInt("secret_key_version");
            secret = sealer.open(id, new Sealed(version, sealed));
            byte[] previousSealed = row.getBytes("previous_secret_sealed");
            previous = Optional.ofNullable(previousSealed).map(p -> sealer.open(id, new Sealed(version, p)));
        } else { // written before V32, not sealed yet
            secret = new WebhookSecret(row.getString("secret"));
            previous = Optional.ofNullable(row.getString("previous_secret")).map(WebhookSecret::new);
        }
        return new WebhookEndpoint(id,
                Optional.ofNullable(organization).map(OrganizationId::new), new WebhookUrl(URI.create(row.getString("url"))),
                row.getString("description"), new EventFilter(new HashSet<>(Jdbc.strings(row, "event_types"))),
                row.getBoolean("enabled"), secret, previous,
                Optional.ofNullable(Jdbc.instant(row, "previous_secret_until")),
                Optional.ofNullable(Jdbc.instant(row, "failing_since")), Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "updated_at"));
    }
}
