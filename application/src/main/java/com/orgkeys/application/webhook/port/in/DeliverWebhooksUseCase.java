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

    /**
     * At the start of the only process that can use its database (the embedded one, its DATA_DIR locked): the
     * deliveries a previous process claimed and never finished, because it was killed or stopped mid-send, are due
     * now rather than when their lease ends. How many. Never with a shared database: there a lease may be a live
     * node's.
     */
    int resumeUnfinishedOfAPreviousProcess();

    /** Sends one claimed delivery and records the attempt; what happened. */
    Outcome deliver(ClaimedDelivery delivery);

    /** {@code retryAt} empty and not delivered: given up on. {@code endpointDisabled}: this failure disabled it. */
    record Outcome(boolean delivered, Optional<Integer> status, Optional<String> error,
                   Optional<java.time.Instant> retryAt, boolean endpointDisabled) {
    }
}
