package com.orgkeys.application.webhook.port.out;

import com.orgkeys.domain.webhook.WebhookEndpointId;

import java.util.UUID;

/** A delivery a worker has claimed, with its message: {@code attempt} is the number of the attempt it is to make. */
public record ClaimedDelivery(UUID deliveryId, WebhookEndpointId endpointId, String messageId, String type,
                              String body, int attempt) {
    @Override
    public String toString() {
        return "ClaimedDelivery[" + deliveryId + ", " + messageId + " " + type + ", attempt " + attempt + "]";
    }
}
