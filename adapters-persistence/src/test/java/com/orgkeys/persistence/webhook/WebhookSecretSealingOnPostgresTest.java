package com.orgkeys.persistence.webhook;

import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookSecret;
import com.orgkeys.domain.webhook.WebhookSignature;
import com.orgkeys.domain.webhook.WebhookUrl;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Endpoint secrets are stored sealed, never in the clear; rows from before V32 are read, then sealed at start. */
class WebhookSecretSealingOnPostgresTest {
    private final Database database = Database.connect(TestPostgres.newDatabase(), 4);
    private final Jdbc jdbc = new Jdbc(database.dataSource());
    private final JdbcWebhookEndpointRepository endpoints = WebhookSecretsOnPostgres.endpoints(jdbc);
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @AfterEach
    void close() {
        database.close();
    }

    private WebhookEndpoint endpoint() {
        return WebhookEndpoint.create(Optional.empty(), WebhookUrl.parse("https://hooks.example.com/in"), "",
                EventFilter.ALL, now);
    }

    /** Every stored column of the row, as text, to look for a secret in. */
    private String row(WebhookEndpoint e) {
        return jdbc.one("SELECT row_to_json(w)::text AS r FROM webhook_endpoints w WHERE id = ?",
                r -> r.getString("r"), e.id().value()).orElseThrow();
    }

    private static String key(WebhookSecret secret) {
        return secret.value().substring(WebhookSecret.PREFIX.length());
    }

    @Test
    void secrets_are_stored_sealed_and_read_back_so_signatures_verify_with_the_revealed_secret() {
        WebhookEndpoint created = endpoint();
        endpoints.add(created);
        WebhookEndpoint rotated = created.rotateSecret(WebhookSecret.generate(), now.plusSeconds(1));
        endpoints.update(rotated);

        String stored = row(rotated);
        assertFalse(stored.contains(key(rotated.secret())), stored);
        assertFalse(stored.contains(key(created.secret())), "the previous secret is sealed too");
        WebhookEndpoint read = endpoints.find(created.id()).orElseThrow();
        assertEquals(rotated, read);
        String signature = WebhookSignature.sign(read.signingSecrets(now.plusSeconds(2)), "msg_1", 1, "{}");
        assertTrue(signature.contains(" "), "signed with both secrets during the overlap: " + signature);
    }

    @Test
    void a_sealed_secret_copied_to_another_endpoint_does_not_open() {
        WebhookEndpoint a = endpoint();
        WebhookEndpoint b = endpoint();
        endpoints.add(a);
        endpoints.add(b);
        jdbc.update("UPDATE webhook_endpoints SET secret_sealed = (SELECT secret_sealed FROM webhook_endpoints WHERE id = ?)"
                + " WHERE id = ?", a.id().value(), b.id().value());
        assertThrows(IllegalStateException.class, () -> endpoints.find(b.id()));
    }

    @Test
    void plaintext_rows_from_before_v32_are_read_as_they_are_then_sealed_in_batches() {
        List<WebhookEndpoint> legacy = List.of(endpoint(), endpoint(), endpoint());
        WebhookSecret previous = WebhookSecret.generate();
        for (WebhookEndpoint e : legacy) {
            jdbc.update("""
                    INSERT INTO webhook_endpoints (id, organization_id, url, description, event_types, enabled, secret,
                                                   previous_secret, previous_secret_until, created_at, updated_at)
                    VALUES (?, NULL, ?, '', ?, true, ?, ?, ?, ?, ?)""", e.id().value(), e.url().toString(), List.of(),
                    e.secret().value(), previous.value(), now.plus(Duration.ofDays(1)), now, now);
        }
        WebhookEndpoint first = legacy.getFirst();
        assertEquals(first.secret(), endpoints.find(first.id()).orElseThrow().secret(), "read before it is sealed");

        assertEquals(2, endpoints.sealPlaintextSecrets(2));
        assertEquals(1, endpoints.sealPlaintextSecrets(2));
        assertEquals(0, endpoints.sealPlaintextSecrets(2));
        for (WebhookEndpoint e : legacy) {
            String stored = row(e);
            assertFalse(stored.contains(key(e.secret())) || stored.contains(key(previous)), stored);
            WebhookEndpoint read = endpoints.find(e.id()).orElseThrow();
            assertEquals(e.secret(), read.secret(), "reveal shows the same secret");
            assertEquals(Optional.of(previous), read.previousSecret());
        }
        assertEquals(0, jdbc.count("SELECT count(*) FROM webhook_endpoints WHERE secret IS NOT NULL"));
    }
}
