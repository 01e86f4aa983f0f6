package com.orgkeys.application.testing;

import com.orgkeys.application.outbox.port.out.OutboxMessage;
import com.orgkeys.application.outbox.port.out.OutboxRepository;
import com.orgkeys.domain.shared.ConflictException;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox over the shared store. Transactions of {@link InMemoryTransactionRunner} run one at a time, so a claim
 * never meets another transaction's rows: nothing to skip.
 */
public final class InMemoryOutboxRepository implements OutboxRepository {
    private final InMemoryStore store;

    public InMemoryOutboxRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void add(OutboxMessage message) {
        store.write(() -> {
            if (store.outbox().containsKey(message.id())) throw new ConflictException("already exists");
            store.outbox().put(message.id(), message);
        });
    }

    @Override
    public List<OutboxMessage> claimDue(Instant now, int limit) {
        return store.read(() -> store.outbox().values().stream()
                .filter(m -> m.sentAt().isEmpty() && m.deadAt().isEmpty() && !m.availableAt().isAfter(now))
                .sorted(Comparator.comparing(OutboxMessage::availableAt))
                .limit(limit).toList());
    }

    @Override
    public void markSent(OutboxMessage.Id id, Instant at) {
        change(id, m -> new OutboxMessage(m.id(), m.kind(), Map.of(), m.createdAt(), m.availableAt(), m.attempts(),
                m.lastError(), Optional.of(at), m.deadAt()));
    }

    @Override
    public void markFailed(OutboxMessage.Id id, int attempts, String error, Instant retryAt) {
        change(id, m -> new OutboxMessage(m.id(), m.kind(), m.payload(), m.createdAt(), retryAt, attempts,
                Optional.of(error), m.sentAt(), m.deadAt()));
    }

    @Override
    public void markDead(OutboxMessage.Id id, int attempts, String error, Instant at) {
        change(id, m -> new OutboxMessage(m.id(), m.kind(), Map.of(), m.createdAt(), m.availableAt(), attempts,
                Optional.of(error), m.sentAt(), Optional.of(at)));
    }

    @Override
    public Optional<OutboxMessage> find(OutboxMessage.Id id) {
        return store.read(() -> Optional.ofNullable(store.outbox().get(id)));
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        return store.writeAndAnswer(() -> {
            List<OutboxMessage.Id> finished = store.outbox().values().stream()
                    .filter(m -> m.sentAt().map(t -> t.isBefore(cutoff)).orElse(false)
                            || m.deadAt().map(t -> t.isBefore(cutoff)).orElse(false))
                    .limit(limit).map(OutboxMessage::id).toList();
            finished.forEach(store.outbox()::remove);
            return finished.size();
        });
    }

    /** Every message, in the order they were added (for tests). */
    public List<OutboxMessage> all() {
        return store.read(() -> List.copyOf(store.outbox().values()));
    }

    private void change(OutboxMessage.Id id, java.util.function.UnaryOperator<OutboxMessage> update) {
        store.write(() -> store.outbox().computeIfPresent(id, (k, m) -> update.apply(m)));
    }
}
