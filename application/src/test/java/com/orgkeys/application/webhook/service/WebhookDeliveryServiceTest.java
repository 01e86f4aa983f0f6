package com.orgkeys.application.webhook.service;

import com.orgkeys.application.testing.FakeMetadataJson;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import com.orgkeys.application.testing.InMemoryWebhookDeliveryRepository;
import com.orgkeys.application.testing.InMemoryWebhookEndpointRepository;
import com.orgkeys.application.testing.MutableClock;
import com.orgkeys.application.webhook.port.in.DeliverWebhooksUseCase.Outcome;
import com.orgkeys.application.webhook.port.out.ClaimedDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDelivery;
import com.orgkeys.application.webhook.port.out.WebhookSender;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookRetrySchedule;
import com.orgkeys.domain.webhook.WebhookSecret;
import com.orgkeys.domain.webhook.WebhookSignature;
import com.orgkeys.domain.webhook.WebhookUrl;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookDeliveryServiceTest {
    private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

    /** Records what it is sent; answers {@code status}, or throws while {@code unreachable}. */
    private static final class FakeSender implements WebhookSender {
        record Sent(WebhookUrl url, Map<String, String> headers, String body) {
        }

        final List<Sent> sent = new CopyOnWriteArrayList<>();
        volatile int status = 204;
        volatile boolean unreachable;

        @Override
        public void check(WebhookUrl url) {
        }

        @Override
        public Response send(WebhookUrl url, Map<String, String> headers, String body) {
            if (unreachable) throw new NotSentException("not reached: connection refused or network unreachable", null);
            sent.add(new Sent(url, headers, body));
            return new Response(status, "ok");
        }
    }

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryStore store = new InMemoryStore();
    private final InMemoryTransactionRunner tx = new InMemoryTransactionRunner(store);
    private final InMemoryWebhookEndpointRepository endpoints = new InMemoryWebhookEndpointRepository(store);
    private final InMemoryWebhookDeliveryRepository deliveries = new InMemoryWebhookDeliveryRepository(store);
    private final FakeSender sender = new FakeSender();
    private final WebhookEventRecorder events = new WebhookEventRecorder(endpoints, deliveries, FakeMetadataJson.INSTANCE, tx, clock);
    private final WebhookDeliveryService service = new WebhookDeliveryService(endpoints, deliveries, sender, tx, clock);

    private WebhookEndpoint endpoint(EventFilter filter) {
        WebhookEndpoint endpoint = WebhookEndpoint.create(Optional.empty(), WebhookUrl.parse("https://hooks.example.com/in"),
                "", filter, clock.instant());
        endpoints.add(endpoint);
        return endpoint;
    }

    private Optional<String> recorded(String type) {
        return tx.inTransaction(() -> events.record(Optional.empty(), type, Map.of("id", "key_1", "name", "CI")));
    }

    private List<Outcome> deliverDue() {
        return service.claimDue(10).stream().map(service::deliver).toList();
    }

    @Test
    public void the_worker_is_told_of_new_deliveries_once_their_transaction_commits_never_before_nor_on_a_rollback() {
        List<String> told = new CopyOnWriteArrayList<>();
        WebhookEventRecorder recorder = new WebhookEventRecorder(endpoints, deliveries, FakeMetadataJson.INSTANCE, tx, clock,
                () -> told.add("committed, inside a transaction: " + tx.insideTransaction()));
        tx.inTransaction(() -> recorder.record(Optional.empty(), "apiKey.created", Map.of("id", "key_1")));
        assertEquals(List.of(), told, "no endpoint receives it: no delivery, nothing to tell");

        WebhookEndpoint endpoint = endpoint(EventFilter.ALL);
        tx.inTransaction(() -> {
            recorder.record(Optional.empty(), "apiKey.created", Map.of("id", "key_1"));
            assertEquals(List.of(), told, "not before the commit: the worker's claim would not see the delivery yet");
            return null;
        });
        assertEquals(List.of("committed, inside a transaction: false"), told);

        // its own type: record's refusal outside a transaction (IllegalStateException) must not pass for the rollback
        final class ChangeFailed extends RuntimeException {
        }
        assertThrows(ChangeFailed.class, () -> tx.inTransaction(() -> {
            recorder.record(Optional.empty(), "apiKey.created", Map.of("id", "key_2"));
            throw new ChangeFailed();
        }));
        assertEquals(1, told.size(), "rolled back: nothing was added");

        String test = recorder.recordTest(endpoint, Map.of("id", "test"));
        assertEquals(2, told.size(), "a test event");
        tx.inTransaction(() -> {
            recorder.redeliver(test, endpoint.id());
            return null;
        });
        assertEquals(3, told.size(), "a replay");
        assertThrows(IllegalStateException.class, () -> recorder.redeliver(test, endpoint.id()), "outside a transaction");
        assertEquals(3, deliveries.claimDue(clock.instant(), clock.instant().plusSeconds(60), 10).size(),
                "every delivery told of is there to claim");
    }

    @Test
    public void a_claim_left_unfinished_by_a_previous_process_is_sent_again_at_once_when_resumed() {
        WebhookEndpoint endpoint = endpoint(EventFilter.ALL);
        String id = recorded("apiKey.created").orElseThrow();
        assertEquals(1, service.claimDue(10).size()); // the process dies before sending
        clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of(), deliverDue(), "leased");

        assertEquals(1, service.resumeUnfinishedOfAPreviousProcess());

        assertEquals(List.of(true), deliverDue().stream().map(Outcome::delivered).toList());
        assertEquals(id, sender.sent.getFirst().headers().get("webhook-id"));
        assertEquals(endpoint.url(), sender.sent.getFirst().url());
        assertEquals(0, service.resumeUnfinishedOfAPreviousProcess(), "nothing unfinished is left");
    }

    @Test
    public void an_event_is_signed_per_standard_webhooks_and_svix_and_delivered_once() {
        WebhookEndpoint endpoint = endpoint(EventFilter.ALL);
        String id = recorded("apiKey.created").orElseThrow();

        assertEquals(1, deliverDue().stream().filter(Outcome::delivered).count());
        assertEquals(List.of(), deliverDue());

        FakeSender.Sent sent = sender.sent.getFirst();
        long timestamp = START.getEpochSecond();
        assertEquals(id, sent.headers().get("webhook-id"));
        assertEquals(id, sent.headers().get("svix-id"));
        assertEquals(Long.toString(timestamp), sent.headers().get("webhook-timestamp"));
        assertEquals(WebhookSignature.sign(List.of(endpoint.secret()), id, timestamp, sent.body()),
                sent.headers().get("webhook-signature"));
        assertEquals(sent.headers().get("webhook-signature"), sent.headers().get("svix-signature"));
        assertTrue(sent.body().contains("\"type\":\"apiKey.created\""), sent.body());
        assertTrue(sent.body().contains("\"object\":\"event\""), sent.body());
        assertTrue(sent.body().contains("\"timestamp\":" + START.toEpochMilli()), sent.body());
    }

    @Test
    public void during_a_rotation_deliveries_carry_a_signature_for_each_secret() {
        WebhookEndpoint endpoint = endpoint(EventFilter.ALL);
        WebhookEndpoint rotated = endpoint.rotateSecret(WebhookSecret.generate(), clock.instant());
        endpoints.update(rotated);
        recorded("apiKey.created");
        deliverDue();
        clock.advance(Duration.ofHours(24));
        recorded("apiKey.updated");
        deliverDue();

        String during = sender.sent.get(0).headers().get("webhook-signature");
        assertEquals(2, during.split(" ").length, during);
        assertEquals(WebhookSignature.sign(List.of(rotated.secret(), endpoint.secret()),
                sender.sent.get(0).headers().get("webhook-id"), START.getEpochSecond(), sender.sent.get(0).body()), during);
        assertEquals(1, sender.sent.get(1).headers().get("webhook-signature").split(" ").length, "after 24 h: one");
    }

    @Test
    public void events_go_only_to_endpoints_whose_filter_matches_and_without_one_nothing_is_written() {
        endpoint(new EventFilter(java.util.Set.of("user.created")));

        assertEquals(Optional.empty(), recorded("apiKey.created"));
        assertEquals(List.of(), deliveries.deliveries());
        assertTrue(recorded("user.created").isPresent());
        assertEquals(1, deliveries.deliveries().size());
    }

    @Test
    public void an_event_is_recorded_only_inside_the_change_transaction_and_rolls_back_with_it() {
        endpoint(EventFilter.ALL);

        assertThrows(IllegalStateException.class, () -> events.record(Optional.empty(), "user.created", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> tx.inTransaction(() -> {
            events.record(Optional.empty(), "user.created", Map.of());
            throw new IllegalArgumentException("the change failed");
        }));
        assertEquals(List.of(), deliveries.deliveries());
    }

    @Test
    public void a_failed_delivery_is_retried_on_the_schedule_then_given_up_on() {
        endpoint(EventFilter.ALL);
        recorded("user.created");
        sender.status = 503;

        Instant previous = clock.instant();
        for (int attempt = 1; attempt < WebhookRetrySchedule.MAX_ATTEMPTS; attempt++) {
            Outcome outcome = deliverDue().getFirst();
            assertFalse(outcome.delivered());
            Duration wait = Duration.between(clock.instant(), outcome.retryAt().orElseThrow());
            Duration planned = WebhookRetrySchedule.WAITS.get(attempt - 1);
            assertTrue(wait.compareTo(planned) >= 0 && wait.compareTo(planned.plus(planned.dividedBy(10))) <= 0,
                    "attempt " + attempt + ": " + wait);
            assertEquals(List.of(), deliverDue(), "not due before its time");
            clock.advance(wait);
            previous = clock.instant();
        }
        Outcome last = deliverDue().getFirst();
        assertEquals(Optional.empty(), last.retryAt());
        assertEquals(WebhookDelivery.Status.FAILED, deliveries.deliveries().getFirst().status());
        assertEquals(WebhookRetrySchedule.MAX_ATTEMPTS, sender.sent.size());
        assertTrue(previous.isAfter(START.plus(Duration.ofHours(27))), "about 28 hours of retries");
    }

    @Test
    public void a_receiver_back_up_gets_the_retry_and_its_attempts_are_kept() {
        WebhookEndpoint endpoint = endpoint(EventFilter.ALL);
        recorded("user.created");
        sender.unreachable = true;
        Outcome failed = deliverDue().getFirst();
        assertEquals(Optional.of("not reached: connection refused or network unreachable"), failed.error());

        sender.unreachable = false;
        clock.advance(Duration.ofSeconds(6));
        assertTrue(deliverDue().getFirst().delivered());

        List<WebhookAttempt> attempts = deliveries.attempts(endpoint.id(), 10);
        assertEquals(List.of(true, false), attempts.stream().map(WebhookAttempt::succeeded).toList());
        assertEquals(List.of(2, 1), attempts.stream().map(WebhookAttempt::attempt).toList());
        assertEquals(Optional.of(204), attempts.getFirst().responseStatus());
    }

    @Test
    public void an_endpoint_failing_for_five_days_is_disabled_once_and_gets_nothing_more() {
        WebhookEndpoint endpoint = endpoint(EventFilter.ALL);
        sender.status = 500;
        recorded("user.created");
        deliverDue();
        clock.advance(Duration.ofDays(5));
        recorded("user.updated");

        List<Outcome> outcomes = deliverDue();
        assertEquals(List.of(true, false), outcomes.stream().map(Outcome::endpointDisabled).toList());
        assertFalse(endpoints.find(endpoint.id()).orElseThrow().enabled());

        clock.advance(Duration.ofDays(1));
        int sent = sender.sent.size();
        deliverDue();
        assertEquals(sent, sender.sent.size(), "a disabled endpoint is sent nothing");
        assertTrue(deliveries.deliveries().stream().allMatch(d -> d.status() == WebhookDelivery.Status.FAILED));
    }

    @Test
    public void a_success_clears_the_failure_clock() {
        WebhookEndpoint endpoint = endpoint(EventFilter.ALL);
        sender.status = 500;
        recorded("user.created");
        deliverDue();
        sender.status = 200;
        recorded("user.updated");
        deliverDue();

        assertEquals(Optional.empty(), endpoints.find(endpoint.id()).orElseThrow().failingSince());
    }

    @Test
    public void a_claim_leases_the_delivery_so_a_second_worker_does_not_send_it_and_a_dead_worker_is_replaced() {
        endpoint(EventFilter.ALL);
        recorded("user.created");

        List<ClaimedDelivery> first = service.claimDue(10);
        assertEquals(List.of(), service.claimDue(10), "the other worker finds nothing");
        clock.advance(WebhookDeliveryService.LEASE);
        List<ClaimedDelivery> again = service.claimDue(10);
        assertEquals(1, again.size(), "the first worker died: its lease ended");
        assertTrue(service.deliver(again.getFirst()).delivered());
        service.deliver(first.getFirst()); // the first one was only slow: its late outcome changes nothing
        assertEquals(WebhookDelivery.Status.SUCCEEDED, deliveries.deliveries().getFirst().status());
    }
}
