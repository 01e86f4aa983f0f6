package com.orgkeys.application.outbox.port.out;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Something to deliver outside (a mail; later a webhook), written in the transaction of the change that causes it.
 * {@code kind} picks the delivery; {@code payload} is what it needs, flat text fields. Due from {@code availableAt}
 * until {@code sentAt} or {@code deadAt} is set.
 */
public record OutboxMessage(Id id, String kind, Map<String, String> payload, Instant createdAt, Instant availableAt,
                            int attempts, Optional<String> lastError, Optional<Instant> sentAt,
                            Optional<Instant> deadAt) {
    public record Id(UUID value) {
        public Id {
            Objects.requireNonNull(value, "value");
        }

        public static Id random() {
            return new Id(UUID.randomUUID());
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    public OutboxMessage {
        Objects.requireNonNull(id, "id");
        if (kind == null || kind.isBlank()) throw new IllegalArgumentException("kind is required");
        payload = Map.copyOf(payload);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(availableAt, "availableAt");
        if (attempts < 0) throw new IllegalArgumentException("attempts must not be negative");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(deadAt, "deadAt");
    }

    /** A new message, due at once. */
    public static OutboxMessage of(String kind, Map<String, String> payload, Instant now) {
        return new OutboxMessage(Id.random(), kind, payload, now, now, 0, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** The payload is the one copy of what the message carries (an invitation link): never in logs. */
    @Override
    public String toString() {
        return "OutboxMessage[id=" + id + ", kind=" + kind + ", attempts=" + attempts + "]";
    }
}
