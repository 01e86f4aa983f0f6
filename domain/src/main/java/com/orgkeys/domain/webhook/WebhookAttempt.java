package com.orgkeys.domain.webhook;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One try at a delivery, kept for the endpoint's attempt list: the receiver's status code (none when it was not
 * reached), how long it took, the start of its answer ({@link #MAX_BODY} characters) and what went wrong.
 */
public record WebhookAttempt(UUID id, UUID deliveryId, WebhookEndpointId endpointId, String messageId,
                             String eventType, int attempt, Instant attemptedAt, boolean succeeded,
                             Optional<Integer> responseStatus, long latencyMillis, String responseBody,
                             Optional<String> error) {
    public static final int MAX_BODY = 1024;
    public static final int MAX_ERROR = 500;

    public WebhookAttempt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(responseStatus, "responseStatus");
        responseBody = responseBody == null ? "" : cut(responseBody.replace("\u0000", ""), MAX_BODY);
        error = error.map(e -> cut(e.replaceAll("[\\r\\n\\t\\x00]+", " ").strip(), MAX_ERROR));
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
