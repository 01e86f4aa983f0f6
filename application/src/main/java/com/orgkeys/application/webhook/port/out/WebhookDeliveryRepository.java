package com.orgkeys.application.webhook.port.out;

import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpointId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhook messages, their deliveries (one per endpoint) and the attempts at them. Messages and deliveries are added
 * in the transaction of the change that causes them; workers on any node claim due deliveries without meeting each
 * other.
 */
public interface WebhookDeliveryRepository {
    /** Adds a message and its deliveries in the caller's transaction. */
    void add(WebhookMessage message, List<WebhookDelivery> deliveries);

    /**
     * Up to {@code limit} pending deliveries due at {@code now} (earliest first), each counted as one more attempt
     * and leased until {@code leaseUntil}: not due again before then, on any node, unless finished. Rows another
     * transaction holds are skipped, not waited for. Commits on its own (the delivery happens outside any
     * transaction).
     */
    List<ClaimedDelivery> claimDue(Instant now, Instant leaseUntil, int limit);

    /**
     * Records an attempt and what follows it: {@code retryAt} present, due again then; empty, finished (succeeded
     * when the attempt did, failed otherwise). Ignored when the delivery has been claimed again since (its lease
     * ended): that later claim decides.
     */
    void finish(WebhookAttempt attempt, Optional<Instant> retryAt);

    /**
     * Makes every claim still unfinished (a pending delivery whose latest attempt was never recorded) due at
     * {@code now} instead of when its lease ends; scheduled retries keep their time. Only for a database that no
     * other worker can be using, where such a claim was a dead process's. How many.
     */
    int endUnfinishedClaims(Instant now);

    Optional<WebhookDelivery> findDelivery(UUID id);

    Optional<WebhookMessage> findMessage(String id);

    /** The endpoint's latest attempts, newest first. */
    List<WebhookAttempt> attempts(WebhookEndpointId endpoint, int limit);

    /** A page of the endpoint's attempts, newest first (by time, then id). */
    Page<WebhookAttempt> attemptPage(WebhookEndpointId endpoint, PageRequest page);

    /** Whether the message was ever to be delivered to the endpoint (so that it may be replayed there). */
    boolean wasSent(WebhookEndpointId endpoint, String messageId);

    /** One more delivery of a stored message (a replay), due at once; in the caller's transaction. */
    void addDelivery(WebhookDelivery delivery);

    /**
     * Retention: deletes up to {@code limit} messages created before {@code cutoff} (oldest first), with their
     * deliveries and attempts, whose deliveries were all created before it and none is pending to an enabled
     * endpoint. Messages another transaction holds (a replay being added) are skipped. How many messages went.
     */
    int deleteSettledBefore(Instant cutoff, int limit);
}
