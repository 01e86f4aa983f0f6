package com.orgkeys.application.webhook.port.out;

import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Webhook endpoints, an organization's and the instance's (organization empty). */
public interface WebhookEndpointRepository {
    void add(WebhookEndpoint endpoint);

    /** Replaces the stored endpoint of that id. */
    void update(WebhookEndpoint endpoint);

    Optional<WebhookEndpoint> find(WebhookEndpointId id);

    /** As {@link #find}, locking the endpoint until the transaction ends (a change reads what it replaces). */
    Optional<WebhookEndpoint> findForUpdate(WebhookEndpointId id);

    /** An organization's endpoints (or, with empty, the instance-level ones), oldest first. */
    List<WebhookEndpoint> listFor(Optional<OrganizationId> organization);

    /** Deletes the endpoint with its deliveries and attempts; whether it existed. */
    boolean delete(WebhookEndpointId id);

    /**
     * The enabled endpoints an event of {@code type} goes to: the organization's (when the event has one) and the
     * instance-level ones, each when its filter lets the type through. Ids only: recording an event never opens an
     * endpoint's sealed secret (a node that cannot must still be able to make the change the event reports).
     */
    List<WebhookEndpointId> receiving(Optional<OrganizationId> organization, String type);

    /** A failed delivery: failing since {@code at} unless already failing since earlier. */
    void markFailing(WebhookEndpointId id, Instant at);

    /** A delivered event: the endpoint is not failing. */
    void markSucceeding(WebhookEndpointId id);

    /**
     * Disables the endpoint if it is enabled and has been failing since {@code cutoff} or earlier; true for the one
     * caller that did (on any node), so that one mail is sent.
     */
    boolean disableIfFailingSince(WebhookEndpointId id, Instant cutoff, Instant now);
}
