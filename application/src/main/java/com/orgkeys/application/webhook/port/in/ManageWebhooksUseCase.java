package com.orgkeys.application.webhook.port.in;

import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import com.orgkeys.domain.webhook.WebhookSecret;

import java.util.List;
import java.util.Optional;

/**
 * Webhook endpoints. A signed-in user with {@code org:sys_webhooks:manage} manages the endpoints of their active
 * organization; a backend secret key not bound to an organization manages the instance-level ones (every
 * organization's events). An endpoint of another organization (or level) is not found, whoever asks.
 */
public interface ManageWebhooksUseCase {
    /** At most this many endpoints per organization, and at the instance level: each event is sent to each. */
    int MAX_ENDPOINTS = 20;

    /** {@code eventTypes} empty or null: every type. {@code enabled} null: true. */
    record CreateEndpointCommand(String url, String description, List<String> eventTypes, Boolean enabled) {
    }

    /** Each field changes only when present. */
    record UpdateEndpointCommand(Optional<String> url, Optional<String> description, Optional<List<String>> eventTypes,
                                 Optional<Boolean> enabled) {
    }

    /** An endpoint's secret, and during a rotation the previous one with the time it stops signing. */
    record EndpointSecrets(WebhookSecret secret, Optional<WebhookSecret> previousSecret,
                           Optional<java.time.Instant> previousSecretExpiresAt) {
    }

    List<WebhookEndpoint> listEndpoints(Caller caller);

    WebhookEndpoint getEndpoint(Caller caller, WebhookEndpointId id);

    WebhookEndpoint createEndpoint(Caller caller, CreateEndpointCommand command);

    WebhookEndpoint updateEndpoint(Caller caller, WebhookEndpointId id, UpdateEndpointCommand command);

    void deleteEndpoint(Caller caller, WebhookEndpointId id);

    /** Queues a {@code webhook.test} event to this endpoint only (whatever its filter); the message id. */
    String sendTestEvent(Caller caller, WebhookEndpointId id);

    /** The endpoint's attempts, newest first. */
    Page<WebhookAttempt> listAttempts(Caller caller, WebhookEndpointId id, PageRequest page);

    /**
     * Sends a message this endpoint was sent before once more, with the same {@code webhook-id} (receivers that
     * processed it already skip it); a message it was never sent is not found.
     */
    String replayMessage(Caller caller, WebhookEndpointId id, String messageId);

    /** The signing secrets; audited. */
    EndpointSecrets revealSecret(Caller caller, WebhookEndpointId id);

    /** A new secret; the current one keeps signing beside it for 24 hours. */
    EndpointSecrets rotateSecret(Caller caller, WebhookEndpointId id);
}
