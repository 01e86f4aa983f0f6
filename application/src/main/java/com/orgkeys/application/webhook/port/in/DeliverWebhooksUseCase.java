package com.orgkeys.application.webhook.port.in;

import com.orgkeys.application.webhook.port.out.ClaimedDelivery;

import java.util.List;
import java.util.Optional;

/**
 * The webhook workers' work (a background job on every node, no caller): claim due deliveries, then deliver each on
 * its own, outside any transaction, so that a slow or dead receiver holds neither a database transaction nor the
 * deliveries to other receivers.
 */
public interface DeliverWebhooksUseCase {
    /** Claims up to {@code limit} due deliveries (each leased to this worker for a while). */
    List<ClaimedDelivery> claimDue(int limit);

    /** Sends one claimed delivery and records the attempt; what happened. */
    Outcome deliver(ClaimedDelivery delivery);

    /** {@code retryAt} empty and not delivered: given up on. {@code endpointDisabled}: this failure disabled it. */
    record Outcome(boolean delivered, Optional<Integer> status, Optional<String> error,
                   Optional<java.time.Instant> retryAt, boolean endpointDisabled) {
    }
}
