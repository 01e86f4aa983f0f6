package com.orgkeys.application.webhook.service;

import com.orgkeys.application.testing.FakeMetadataJson;
import com.orgkeys.application.testing.InMemoryJobLock;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import com.orgkeys.application.testing.InMemoryWebhookDeliveryRepository;
import com.orgkeys.application.testing.InMemoryWebhookEndpointRepository;
import com.orgkeys.application.testing.MutableClock;
import com.orgkeys.application.webhook.port.out.WebhookSender;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookUrl;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PurgeWebhookHistoryServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final InMemoryTransactionRunner tx = new InMemoryTransactionRunner(store);
    private final InMemoryWebhookEndpointRepository endpoints = new InMemoryWebhookEndpointRepository(store);
    private final InMemoryWebhookDeliveryRepository deliveries = new InMemoryWebhookDeliveryRepository(store);
    private final WebhookEventRecorder events = new WebhookEventRecorder(endpoints, deliveries, FakeMetadataJson.INSTANCE,
            tx, clock);
    private volatile boolean receiverUp = true;
    private final WebhookDeliveryService delivery = new WebhookDeliveryService(endpoints, deliveries, new WebhookSender() {
        @Override
        public void check(WebhookUrl url) {
        }

        @Override
        public Response send(WebhookUrl url, Map<String, String> headers, String body) {
            if (!receiverUp) throw new NotSentException("not reached: connection refused", null);
            return new Response(204, "");
        }
    }, tx, clock);
    private final InMemoryJobLock lock = new InMemoryJobLock();

    private String recorded() {
        return tx.inTransaction(() -> events.record(Optional.empty(), "apiKey.created", Map.of("id", "key_1"))).orElseThrow();
    }

    private void deliverDue() {
        delivery.claimDue(10).forEach(delivery::deliver);
    }

    @Test
    void delivered_messages_go_after_the_retention_period_in_batches_on_one_node_at_a_time_and_pending_ones_stay() {
        endpoints.add(WebhookEndpoint.create(Optional.empty(), WebhookUrl.parse("https://hooks.example.com/in"), "",
                EventFilter.ALL, clock.instant()));
        String first = recorded();
        String second = recorded();
        String third = recorded();
        deliverDue();
        receiverUp = false;
        String pending = recorded();
        deliverDue(); // failed once, retried later: still pending
        var retention = new PurgeWebhookHistoryService(deliveries, lock, clock, Duration.ofDays(30), 2, 10);

        clock.advance(Duration.ofDays(29));
        assertEquals(Optional.of(0), retention.purgeSettled());
        clock.advance(Duration.ofDays(2));
        lock.holdElsewhere(true);
        assertEquals(Optional.empty(), retention.purgeSettled());
        lock.holdElsewhere(false);
        assertEquals(Optional.of(3), retention.purgeSettled()); // two batches: 2, then 1
        assertTrue(deliveries.findMessage(first).isEmpty() && deliveries.findMessage(second).isEmpty()
                && deliveries.findMessage(third).isEmpty());
        assertTrue(deliveries.findMessage(pending).isPresent());
    }

    @Test
    void a_retention_period_must_be_positive() {
        assertThrows(IllegalArgumentException.class,
                () -> new PurgeWebhookHistoryService(deliveries, lock, clock, Duration.ZERO));
    }
}
