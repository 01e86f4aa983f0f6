package com.orgkeys.application.webhook.port.out;

import com.orgkeys.domain.organization.OrganizationId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One event as sent: {@code id} is the {@code webhook-id} every delivery and retry of it carries (receivers
 * de-duplicate by it), {@code body} the exact JSON text that is signed.
 */
public record WebhookMessage(String id, Optional<OrganizationId> organization, String type, String body,
                             Instant createdAt) {
    public WebhookMessage {
        if (id == null || !id.startsWith("msg_")) throw new IllegalArgumentException("id is msg_…");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public static String newId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
}
