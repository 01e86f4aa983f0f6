package com.orgkeys.application.outbox.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outbox table: messages written with the change that causes them, claimed by one worker at a time (on any
 * node), and marked sent or dead. Sent and dead messages lose their payload (the link a mail carried).
 */
public interface OutboxRepository {
    /** Adds a message in the caller's transaction: it exists, and is sent, only if that transaction commits. */
    void add(OutboxMessage message);

    /**
     * Up to {@code limit} messages due at {@code now} (neither sent nor dead), earliest due first, locked until the
     * current transaction ends; messages another transaction holds are skipped, not waited for. Call inside a
     * transaction.
     */
    List<OutboxMessage> claimDue(Instant now, int limit);

    /** Delivered: never claimed again; the payload is dropped. */
    void markSent(OutboxMessage.Id id, Instant at);

    /** A failed attempt: due again at {@code retryAt}. */
    void markFailed(OutboxMessage.Id id, int attempts, String error, Instant retryAt);

    /** Given up after {@code attempts}: never claimed again; the payload is dropped. */
    void markDead(OutboxMessage.Id id, int attempts, String error, Instant at);

    Optional<OutboxMessage> find(OutboxMessage.Id id);

    /** Deletes up to {@code limit} messages sent or dead before {@code cutoff}; how many went. */
    int deleteFinishedBefore(Instant cutoff, int limit);
}
