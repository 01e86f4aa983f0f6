package com.orgkeys.application.webhook.service;

import com.orgkeys.application.shared.port.out.MetadataJson;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.application.webhook.port.out.WebhookDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDeliveriesAdded;
import com.orgkeys.application.webhook.port.out.WebhookDeliveryRepository;
import com.orgkeys.application.webhook.port.out.WebhookEndpointRepository;
import com.orgkeys.application.webhook.port.out.WebhookMessage;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Records webhook events for the use cases, inside their transaction: the event and one delivery per enabled
 * endpoint that receives its type are written with the change, so that there is no event without its change and no
 * change without its event. The workers send them after the commit; this node's is told at once
 * ({@link WebhookDeliveriesAdded}).
 */
public final class WebhookEventRecorder implements WebhookEvents {
    private final WebhookEndpointRepository endpoints;
    private final WebhookDeliveryRepository deliveries;
    private final MetadataJson json;
    private final TransactionRunner tx;
    private final Clock clock;
    private final WebhookDeliveriesAdded added;

    public WebhookEventRecorder(WebhookEndpointRepository endpoints, WebhookDeliveryRepository deliveries, MetadataJson json,
                         TransactionRunner tx, Clock clock) {
        this(endpoints, deliveries, json, tx, clock, WebhookDeliveriesAdded.NONE);
    }

    public WebhookEventRecorder(WebhookEndpointRepository endpoints, WebhookDeliveryRepository deliveries, MetadataJson json,
                                TransactionRunner tx, Clock clock, WebhookDeliveriesAdded added) {
        this.added = Objects.requireNonNull(added, "added");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.json = Objects.requireNonNull(json, "json");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<String> record(Optional<OrganizationId> organization, String type, Map<String, Object> data) {
        return recordLazily(organization, type, () -> data);
    }

    @Override
    public Optional<String> recordLazily(Optional<OrganizationId> organization, String type,
                                         Supplier<Map<String, Object>> lazyData) {
        if (!tx.insideTransaction()) throw new IllegalStateException("record a webhook event inside the change's transaction");
        // one indexed read, nothing written, when no endpoint receives the type (the common case on sign-in)
        List<WebhookEndpointId> receivers = endpoints.receiving(organization, type);
        if (receivers.isEmpty()) return Optional.empty();
        Map<String, Object> data = lazyData.get();
        Instant now = clock.instant();
        WebhookMessage message = new WebhookMessage(WebhookMessage.newId(), organization, type, body(type, now, data), now);
        deliveries.add(message, receivers.stream().map(id -> WebhookDelivery.of(message.id(), id, now)).toList());
        tx.afterCommit(added::committed);
        return Optional.of(message.id());
    }

    /** A test event to one endpoint only (whatever its filter), in its own transaction; the message id. */
    public String recordTest(WebhookEndpoint endpoint, Map<String, Object> data) {
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            WebhookMessage message = new WebhookMessage(WebhookMessage.newId(), endpoint.organization(), "webhook.test",
                    body("webhook.test", now, data), now);
            deliveries.add(message, List.of(WebhookDelivery.of(message.id(), endpoint.id(), now)));
            tx.afterCommit(added::committed);
            return message.id();
        });
    }

    /** A message sent again to one endpoint (a replay), inside the caller's transaction. */
    public void redeliver(String messageId, WebhookEndpointId endpoint) {
        if (!tx.insideTransaction()) throw new IllegalStateException("redeliver inside the replay's transaction");
        deliveries.addDelivery(WebhookDelivery.of(messageId, endpoint, clock.instant()));
        tx.afterCommit(added::committed);
    }

    /** The payload receivers get, in Clerk's order: {@code data}, {@code object}, {@code type}, {@code timestamp} (ms). */
    private String body(String type, Instant now, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("data", data);
        event.put("object", "event");
        event.put("type", type);
        event.put("timestamp", now.toEpochMilli());
        return json.write(event);
    }
}
