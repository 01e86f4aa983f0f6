package com.orgkeys.application.webhook.port.out;

import com.orgkeys.domain.webhook.WebhookEndpointId;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One message to one endpoint. Pending until delivered (succeeded) or given up on (failed); due from
 * {@code nextAttemptAt}, which a claim moves forward by a lease, so that a delivery whose worker died is due again
 * once the lease ends. {@code attempts} counts the attempts started.
 */
public record WebhookDelivery(UUID id, String messageId, WebhookEndpointId endpointId, Status status, int attempts,
                              Instant nextAttemptAt, Instant createdAt) {
    public enum Status { PENDING, SUCCEEDED, FAILED }

    public WebhookDelivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A new delivery, due at once. */
    public static WebhookDelivery of(String messageId, WebhookEndpointId endpointId, Instant now) {
        return new WebhookDelivery(UUID.randomUUID(), messageId, endpointId, Status.PENDING, 0, now, now);
    }
}
