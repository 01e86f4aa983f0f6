package com.orgkeys.application.testing;

import com.orgkeys.application.webhook.port.out.WebhookEndpointRepository;
import com.orgkeys.application.webhook.port.out.WebhookMessage;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

public final class InMemoryWebhookEndpointRepository implements WebhookEndpointRepository {
    private static final Comparator<WebhookEndpoint> OLDEST_FIRST = Comparator.comparing(WebhookEndpoint::createdAt)
            .thenComparing(e -> e.id().value());
    private final InMemoryStore store;

    public InMemoryWebhookEndpointRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void add(WebhookEndpoint endpoint) {
        store.write(() -> {
            if (store.webhookEndpoints().containsKey(endpoint.id())) throw new ConflictException("already exists");
            store.webhookEndpoints().put(endpoint.id(), endpoint);
        });
    }

    @Override
    public void update(WebhookEndpoint endpoint) {
        store.write(() -> store.webhookEndpoints().computeIfPresent(endpoint.id(), (k, e) -> endpoint));
    }

    @Override
    public Optional<WebhookEndpoint> find(WebhookEndpointId id) {
        return store.read(() -> Optional.ofNullable(store.webhookEndpoints().get(id)));
    }

    @Override
    public Optional<WebhookEndpoint> findForUpdate(WebhookEndpointId id) {
        return find(id); // transactions run one at a time here
    }

    @Override
    public List<WebhookEndpoint> listFor(Optional<OrganizationId> organization) {
        return store.read(() -> store.webhookEndpoints().values().stream()
                .filter(e -> e.organization().equals(organization)).sorted(OLDEST_FIRST).toList());
    }

    @Override
    public boolean delete(WebhookEndpointId id) {
        return store.writeAndAnswer(() -> {
            boolean existed = store.webhookEndpoints().containsKey(id);
            cascade(store, e -> e.id().equals(id), m -> false);
            return existed;
        });
    }

    @Override
    public List<WebhookEndpointId> receiving(Optional<OrganizationId> organization, String type) {
        return store.read(() -> store.webhookEndpoints().values().stream()
                .filter(e -> e.enabled() && e.filter().matches(type)
                        && (e.organization().isEmpty() || (organization.isPresent() && e.organization().equals(organization))))
                .sorted(OLDEST_FIRST).map(WebhookEndpoint::id).toList());
    }

    @Override
    public void markFailing(WebhookEndpointId id, Instant at) {
        change(id, e -> e.failingSince().isPresent() ? e : with(e, e.enabled(), Optional.of(at), e.updatedAt()));
    }

    @Override
    public void markSucceeding(WebhookEndpointId id) {
        change(id, e -> with(e, e.enabled(), Optional.empty(), e.updatedAt()));
    }

    @Override
    public boolean disableIfFailingSince(WebhookEndpointId id, Instant cutoff, Instant now) {
        return store.writeAndAnswer(() -> {
            WebhookEndpoint e = store.webhookEndpoints().get(id);
            if (e == null || !e.enabled() || e.failingSince().isEmpty() || e.failingSince().get().isAfter(cutoff)) {
                return false;
            }
            store.webhookEndpoints().put(id, with(e, false, e.failingSince(), now));
            return true;
        });
    }

    /** Deletes the endpoints matching, their deliveries and attempts, and the messages matching (the foreign keys). */
    static void cascade(InMemoryStore store, Predicate<WebhookEndpoint> endpoints, Predicate<WebhookMessage> messages) {
        Set<WebhookEndpointId> gone = store.webhookEndpoints().values().stream().filter(endpoints)
                .map(WebhookEndpoint::id).collect(Collectors.toSet());
        Set<String> goneMessages = store.webhookMessages().values().stream().filter(messages)
                .map(WebhookMessage::id).collect(Collectors.toSet());
        store.webhookEndpoints().keySet().removeAll(gone);
        store.webhookMessages().keySet().removeAll(goneMessages);
        store.webhookDeliveries().values().removeIf(d -> gone.contains(d.endpointId())
                || goneMessages.contains(d.messageId()));
        store.webhookAttempts().removeIf(a -> gone.contains(a.endpointId())
                || !store.webhookDeliveries().containsKey(a.deliveryId()));
    }

    private static WebhookEndpoint with(WebhookEndpoint e, boolean enabled, Optional<Instant> failingSince, Instant updatedAt) {
        return new WebhookEndpoint(e.id(), e.organization(), e.url(), e.description(), e.filter(), enabled, e.secret(),
                e.previousSecret(), e.previousSecretUntil(), failingSince, e.createdAt(), updatedAt);
    }

    private void change(WebhookEndpointId id, java.util.function.UnaryOperator<WebhookEndpoint> update) {
        store.write(() -> store.webhookEndpoints().computeIfPresent(id, (k, e) -> update.apply(e)));
    }
}
