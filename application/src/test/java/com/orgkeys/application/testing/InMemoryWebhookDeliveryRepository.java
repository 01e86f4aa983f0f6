package com.orgkeys.application.testing;

import com.orgkeys.application.webhook.port.out.ClaimedDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDeliveryRepository;
import com.orgkeys.application.webhook.port.out.WebhookMessage;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpointId;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Webhook deliveries over the shared store; transactions run one at a time, so a claim has nothing to skip. */
public final class InMemoryWebhookDeliveryRepository implements WebhookDeliveryRepository {
    private final InMemoryStore store;

    public InMemoryWebhookDeliveryRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void add(WebhookMessage message, List<WebhookDelivery> deliveries) {
        store.write(() -> {
            if (store.webhookMessages().containsKey(message.id())) throw new ConflictException("already exists");
            for (WebhookDelivery d : deliveries) {
                if (!store.webhookEndpoints().containsKey(d.endpointId())) {
                    throw new IllegalStateException("foreign key: no endpoint " + d.endpointId());
                }
            }
            store.webhookMessages().put(message.id(), message);
            deliveries.forEach(d -> store.webhookDeliveries().put(d.id(), d));
        });
    }

    @Override
    public List<ClaimedDelivery> claimDue(Instant now, Instant leaseUntil, int limit) {
        return store.writeAndAnswer(() -> {
            List<WebhookDelivery> due = store.webhookDeliveries().values().stream()
                    .filter(d -> d.status() == WebhookDelivery.Status.PENDING && !d.nextAttemptAt().isAfter(now))
                    .sorted(Comparator.comparing(WebhookDelivery::nextAttemptAt)).limit(limit).toList();
            return due.stream().sorted(Comparator.comparing(WebhookDelivery::createdAt)).map(d -> {
                WebhookDelivery claimed = new WebhookDelivery(d.id(), d.messageId(), d.endpointId(), d.status(),
                        d.attempts() + 1, leaseUntil, d.createdAt());
                store.webhookDeliveries().put(d.id(), claimed);
                WebhookMessage message = store.webhookMessages().get(d.messageId());
                return new ClaimedDelivery(d.id(), d.endpointId(), d.messageId(), message.type(), message.body(),
                        claimed.attempts());
            }).toList();
        });
    }

    @Override
    public void finish(WebhookAttempt a, Optional<Instant> retryAt) {
        store.write(() -> {
            WebhookDelivery d = store.webhookDeliveries().get(a.deliveryId());
            if (d == null) return;
            if (d.attempts() == a.attempt() && d.status() == WebhookDelivery.Status.PENDING) {
                WebhookDelivery.Status status = a.succeeded() ? WebhookDelivery.Status.SUCCEEDED
                        : retryAt.isPresent() ? WebhookDelivery.Status.PENDING : WebhookDelivery.Status.FAILED;
                store.webhookDeliveries().put(d.id(), new WebhookDelivery(d.id(), d.messageId(), d.endpointId(), status,
                        d.attempts(), retryAt.orElse(d.nextAttemptAt()), d.createdAt()));
            }
            store.webhookAttempts().add(a);
        });
    }

    @Override
    public int endUnfinishedClaims(Instant now) {
        return store.writeAndAnswer(() -> {
            List<WebhookDelivery> unfinished = store.webhookDeliveries().values().stream()
                    .filter(d -> d.status() == WebhookDelivery.Status.PENDING && d.attempts() > 0
                            && d.nextAttemptAt().isAfter(now)
                            && store.webhookAttempts().stream().noneMatch(a -> a.deliveryId().equals(d.id())
                            && a.attempt() == d.attempts()))
                    .toList();
            unfinished.forEach(d -> store.webhookDeliveries().put(d.id(), new WebhookDelivery(d.id(), d.messageId(),
                    d.endpointId(), d.status(), d.attempts(), now, d.createdAt())));
            return unfinished.size();
        });
    }

    @Override
    public Optional<WebhookDelivery> findDelivery(UUID id) {
        return store.read(() -> Optional.ofNullable(store.webhookDeliveries().get(id)));
    }

    @Override
    public Optional<WebhookMessage> findMessage(String id) {
        return store.read(() -> Optional.ofNullable(store.webhookMessages().get(id)));
    }

    @Override
    public List<WebhookAttempt> attempts(WebhookEndpointId endpoint, int limit) {
        return store.read(() -> store.webhookAttempts().stream().filter(a -> a.endpointId().equals(endpoint))
                .sorted(Comparator.comparing(WebhookAttempt::attemptedAt).reversed()
                        .thenComparing(a -> a.id().toString()))
                .limit(limit).toList());
    }

    @Override
    public Page<WebhookAttempt> attemptPage(WebhookEndpointId endpoint, PageRequest page) {
        Comparator<Cursor.Key> order = Cursor.Key.order(true, Comparator.naturalOrder());
        return store.read(() -> Page.of(store.webhookAttempts().stream().filter(a -> a.endpointId().equals(endpoint))
                        .sorted(Comparator.comparing(InMemoryWebhookDeliveryRepository::key, order)).toList(), page,
                InMemoryWebhookDeliveryRepository::key, order, Cursor.list("webhook-attempts", endpoint)));
    }

    private static Cursor.Key key(WebhookAttempt a) {
        return new Cursor.Key(a.attemptedAt(), a.id().toString());
    }

    @Override
    public boolean wasSent(WebhookEndpointId endpoint, String messageId) {
        return store.read(() -> store.webhookDeliveries().values().stream()
                .anyMatch(d -> d.endpointId().equals(endpoint) && d.messageId().equals(messageId)));
    }

    @Override
    public void addDelivery(WebhookDelivery delivery) {
        store.write(() -> {
            if (!store.webhookMessages().containsKey(delivery.messageId())) {
                throw new IllegalStateException("foreign key: no message " + delivery.messageId());
            }
            if (!store.webhookEndpoints().containsKey(delivery.endpointId())) {
                throw new IllegalStateException("foreign key: no endpoint " + delivery.endpointId());
            }
            store.webhookDeliveries().put(delivery.id(), delivery);
        });
    }

    @Override
    public int deleteSettledBefore(Instant cutoff, int limit) {
        return store.writeAndAnswer(() -> {
            List<String> settled = store.webhookMessages().values().stream()
                    .filter(m -> m.createdAt().isBefore(cutoff))
                    .filter(m -> store.webhookDeliveries().values().stream()
                            .filter(d -> d.messageId().equals(m.id()))
                            .allMatch(d -> d.createdAt().isBefore(cutoff) && !pendingToEnabled(d)))
                    .sorted(Comparator.comparing(WebhookMessage::createdAt)).limit(limit)
                    .map(WebhookMessage::id).toList();
            List<UUID> gone = store.webhookDeliveries().values().stream()
                    .filter(d -> settled.contains(d.messageId())).map(WebhookDelivery::id).toList();
            store.webhookAttempts().removeIf(a -> gone.contains(a.deliveryId()));
            gone.forEach(store.webhookDeliveries()::remove);
            settled.forEach(store.webhookMessages()::remove);
            return settled.size();
        });
    }

    private boolean pendingToEnabled(WebhookDelivery d) {
        if (d.status() != WebhookDelivery.Status.PENDING) return false;
        var endpoint = store.webhookEndpoints().get(d.endpointId());
        return endpoint != null && endpoint.enabled();
    }

    /** Every delivery, in the order they were added (for tests). */
    public List<WebhookDelivery> deliveries() {
        return store.read(() -> List.copyOf(store.webhookDeliveries().values()));
    }
}
