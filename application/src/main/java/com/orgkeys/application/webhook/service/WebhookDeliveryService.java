package com.orgkeys.application.webhook.service;

import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.application.webhook.port.in.DeliverWebhooksUseCase;
import com.orgkeys.application.webhook.port.out.ClaimedDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDeliveryRepository;
import com.orgkeys.application.webhook.port.out.WebhookEndpointRepository;
import com.orgkeys.application.webhook.port.out.WebhookSender;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookRetrySchedule;
import com.orgkeys.domain.webhook.WebhookSignature;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers webhooks at least once. A claim is a short transaction that leases deliveries ({@code FOR UPDATE SKIP
 * LOCKED}, then due again only after {@link #LEASE}); the HTTP call happens after it commits, and its outcome is
 * recorded in another short transaction. So any number of nodes deliver the same table without sending one
 * delivery twice at once, a node killed mid-delivery leaves it due again when the lease ends, and one receiver being
 * down or slow delays no other.
 */
public final class WebhookDeliveryService implements DeliverWebhooksUseCase {
    /** Longer than the sender's timeouts (15 s) with room to record the outcome. */
    public static final Duration LEASE = Duration.ofSeconds(60);
    public static final String USER_AGENT = "orgkeys-webhooks";
    private static final System.Logger LOG = System.getLogger("orgkeys.webhooks");

    private final WebhookEndpointRepository endpoints;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookSender sender;
    private final TransactionRunner tx;
    private final Clock clock;
    private final Optional<DisabledEndpointNotices> notices;

    public WebhookDeliveryService(WebhookEndpointRepository endpoints, WebhookDeliveryRepository deliveries,
                                  WebhookSender sender, TransactionRunner tx, Clock clock) {
        this(endpoints, deliveries, sender, tx, clock, Optional.empty());
    }

    /** @param notices told, in the disabling transaction, of an endpoint disabled after failing for five days */
    public WebhookDeliveryService(WebhookEndpointRepository endpoints, WebhookDeliveryRepository deliveries,
                                  WebhookSender sender, TransactionRunner tx, Clock clock,
                                  Optional<DisabledEndpointNotices> notices) {
        this.notices = Objects.requireNonNull(notices, "notices");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public List<ClaimedDelivery> claimDue(int limit) {
        Instant now = clock.instant();
        return tx.inTransaction(() -> deliveries.claimDue(now, now.plus(LEASE), limit));
    }

    @Override
    public int resumeUnfinishedOfAPreviousProcess() {
        Instant now = clock.instant();
        return tx.inTransaction(() -> deliveries.endUnfinishedClaims(now));
    }

    @Override
    public Outcome deliver(ClaimedDelivery delivery) {
        Optional<WebhookEndpoint> found = endpoints.find(delivery.endpointId());
        Instant started = clock.instant();
        if (found.isEmpty() || !found.get().enabled()) {
            // deleted endpoints take their deliveries along; a disabled one gets nothing until enabled and replayed
            WebhookAttempt attempt = attempt(delivery, started, false, Optional.empty(), 0, "",
                    Optional.of("endpoint disabled"));
            tx.inTransaction(() -> deliveries.finish(attempt, Optional.empty()));
            return new Outcome(false, Optional.empty(), attempt.error(), Optional.empty(), false);
        }
        WebhookEndpoint endpoint = found.get();
        long timestamp = started.getEpochSecond();
        String signature = WebhookSignature.sign(endpoint.signingSecrets(started), delivery.messageId(), timestamp,
                delivery.body());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", USER_AGENT);
        // Standard Webhooks, and the same values under svix's names for receivers written for svix or Clerk
        headers.put("webhook-id", delivery.messageId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signature);
        headers.put("svix-id", delivery.messageId());
        headers.put("svix-timestamp", Long.toString(timestamp));
        headers.put("svix-signature", signature);

        long startNanos = System.nanoTime();
        Optional<Integer> status = Optional.empty();
        String responseBody = "";
        Optional<String> error;
        try {
            WebhookSender.Response response = sender.send(endpoint.url(), headers, delivery.body());
            status = Optional.of(response.status());
            responseBody = response.body();
            error = response.succeeded() ? Optional.empty() : Optional.of("HTTP " + response.status());
        } catch (RuntimeException e) {
            // the attempt list shows the sender's words; anything else is this server's fault, logged, not shown
            if (!(e instanceof WebhookSender.NotSentException)) {
                LOG.log(System.Logger.Level.WARNING, "webhooks: sending " + delivery.messageId() + " failed", e);
            }
            error = Optional.of(e instanceof WebhookSender.NotSentException ? e.getMessage() : "not sent: internal error");
        }
        long latency = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        boolean succeeded = error.isEmpty();
        WebhookAttempt attempt = attempt(delivery, started, succeeded, status, latency, responseBody, error);
        Instant now = clock.instant();
        Optional<Instant> retryAt = succeeded ? Optional.empty()
                : WebhookRetrySchedule.nextAttempt(delivery.attempt(), now, ThreadLocalRandom.current());
        boolean disabled = tx.inTransaction(() -> {
            deliveries.finish(attempt, retryAt);
            if (succeeded) {
                endpoints.markSucceeding(endpoint.id());
                return false;
            }
            endpoints.markFailing(endpoint.id(), now);
            boolean disabledNow = endpoints.disableIfFailingSince(endpoint.id(), now.minus(WebhookEndpoint.DISABLE_AFTER), now);
            // one caller on one node disables it: that one tells the managers, once
            if (disabledNow) notices.ifPresent(n -> n.endpointDisabled(endpoint, endpoint.failingSince().orElse(now), now));
            return disabledNow;
        });
        return new Outcome(succeeded, status, attempt.error(), retryAt, disabled);
    }

    private static WebhookAttempt attempt(ClaimedDelivery delivery, Instant at, boolean succeeded,
                                          Optional<Integer> status, long latency, String body, Optional<String> error) {
        return new WebhookAttempt(UUID.randomUUID(), delivery.deliveryId(), delivery.endpointId(), delivery.messageId(),
                delivery.type(), delivery.attempt(), at, succeeded, status, latency, body, error);
    }
}
