package com.orgkeys.domain.webhook;

import com.orgkeys.domain.shared.NotFoundException;

import java.util.Objects;
import java.util.UUID;

public record WebhookEndpointId(UUID value) {
    public WebhookEndpointId {
        Objects.requireNonNull(value, "value");
    }

    public static WebhookEndpointId random() {
        return new WebhookEndpointId(UUID.randomUUID());
    }

    /** Parses an id from a request; a malformed id names nothing that exists, so it is "not found". */
    public static WebhookEndpointId parse(String text) {
        try {
            return new WebhookEndpointId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new NotFoundException("No webhook endpoint " + text + ".");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
