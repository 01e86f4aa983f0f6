package com.orgkeys.application.webhook.port.out;

/**
 * Told once a transaction that added webhook deliveries has committed, so that this node's worker claims them now
 * rather than at its next poll. Only a shortcut: every node's worker still polls, and finds them there.
 */
@FunctionalInterface
public interface WebhookDeliveriesAdded {
    WebhookDeliveriesAdded NONE = () -> {
    };

    void committed();
}
