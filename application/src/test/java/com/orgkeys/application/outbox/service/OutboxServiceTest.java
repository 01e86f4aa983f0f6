package com.orgkeys.application.outbox.service;

import com.orgkeys.application.outbox.port.in.ProcessOutboxUseCase.Delivered;
import com.orgkeys.application.outbox.port.out.OutboxMessage;
import com.orgkeys.application.outbox.port.out.UndeliverableException;
import com.orgkeys.application.testing.InMemoryJobLock;
import com.orgkeys.application.testing.InMemoryOutboxRepository;
import com.orgkeys.application.testing.InMemoryStore;
import com.orgkeys.application.testing.InMemoryTransactionRunner;
import com.orgkeys.application.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxServiceTest {
    private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
    private static final RetryPolicy RETRIES = new RetryPolicy(3, Duration.ofMinutes(1), Duration.ofMinutes(10));

    /** Records what it delivers; fails while {@code down}. */
    private static final class FakeDelivery implements OutboxDelivery {
        final List<Map<String, String>> delivered = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public String kind() {
            return "test";
        }

        @Override
        public void deliver(Map<String, String> payload) {
            if (down) throw new IllegalStateException("connection refused\nby the server");
            if (payload.containsKey("nobody")) throw new UndeliverableException("550 5.1.1 no such mailbox", null);
            delivered.add(payload);
        }
    }

    private final MutableClock clock = new MutableClock(START);

    /** claimed, sent, retried, dead */
    private static List<Integer> counts(Delivered delivered) {
        return List.of(delivered.claimed(), delivered.sent(), delivered.retried(), delivered.dead().size());
    }
    private final InMemoryStore store = new InMemoryStore();
    private final InMemoryOutboxRepository outbox = new InMemoryOutboxRepository(store);
    private final InMemoryTransactionRunner tx = new InMemoryTransactionRunner(store);
    private final FakeDelivery delivery = new FakeDelivery();
    private final InMemoryJobLock lock = new InMemoryJobLock();
    private final OutboxService service = new OutboxService(outbox, tx, clock, List.of(delivery), RETRIES, 2, lock,
            Duration.ofDays(30));

    private OutboxMessage added(String n) {
        OutboxMessage message = OutboxMessage.of("test", Map.of("n", n), clock.instant());
        tx.inTransaction(() -> outbox.add(message));
        return message;
    }

    @Test
    void due_messages_are_delivered_in_batches_and_never_again() {
        added("1");
        added("2");
        added("3");

        assertEquals(List.of(2, 2, 0, 0), counts(service.deliverDue()));
        assertEquals(List.of(1, 1, 0, 0), counts(service.deliverDue()));
        assertEquals(Delivered.NONE, service.deliverDue());
        clock.advance(Duration.ofDays(1));
        assertEquals(Delivered.NONE, service.deliverDue());

        assertEquals(List.of(Map.of("n", "1"), Map.of("n", "2"), Map.of("n", "3")), delivery.delivered);
    }

    @Test
    void a_failed_delivery_is_retried_with_growing_delays_and_given_up_after_the_last_attempt() {
        OutboxMessage message = added("1");
        delivery.down = true;

        assertEquals(List.of(1, 0, 1, 0), counts(service.deliverDue()));
        OutboxMessage failed = outbox.find(message.id()).orElseThrow();
        assertEquals(1, failed.attempts());
        assertEquals(Optional.of("IllegalStateException: connection refused by the server"), failed.lastError());
        Duration firstDelay = Duration.between(START, failed.availableAt());
        assertTrue(!firstDelay.minus(Duration.ofMinutes(1)).isNegative()
                && firstDelay.compareTo(Duration.ofSeconds(75)) <= 0, "1 min + up to 25 % jitter: " + firstDelay);
        assertEquals(Delivered.NONE, service.deliverDue(), "not due before its retry time");

        clock.advance(firstDelay);
        assertEquals(List.of(1, 0, 1, 0), counts(service.deliverDue()));
        Duration secondDelay = Duration.between(clock.instant(), outbox.find(message.id()).orElseThrow().availableAt());
        assertTrue(secondDelay.compareTo(Duration.ofMinutes(2)) >= 0, "doubled: " + secondDelay);

        clock.advance(secondDelay);
        Delivered last = service.deliverDue();
        assertEquals(1, last.dead().size(), "the third of three attempts failed");
        assertEquals(3, last.dead().getFirst().attempts());
        OutboxMessage dead = outbox.find(message.id()).orElseThrow();
        assertEquals(Optional.of(clock.instant()), dead.deadAt());
        assertEquals(Map.of(), dead.payload());

        delivery.down = false;
        clock.advance(Duration.ofDays(1));
        assertEquals(Delivered.NONE, service.deliverDue(), "given up for good");
        assertEquals(List.of(), delivery.delivered);
    }

    @Test
    void a_message_is_delivered_once_the_server_is_back_and_nothing_is_lost() {
        added("1");
        added("2");
        delivery.down = true;

        assertEquals(List.of(2, 0, 1, 0), counts(service.deliverDue()), "a failure ends the batch");
        assertEquals(List.of(1, 0, 1, 0), counts(service.deliverDue()), "the other one, next round");

        delivery.down = false;
        clock.advance(Duration.ofMinutes(2));
        assertEquals(List.of(2, 2, 0, 0), counts(service.deliverDue()));
        assertEquals(2, delivery.delivered.size(), "each once");
        assertEquals(java.util.Set.of(Map.of("n", "1"), Map.of("n", "2")), java.util.Set.copyOf(delivery.delivered),
                "in the order of their (jittered) retry times");
    }

    @Test
    void a_message_refused_for_good_is_given_up_at_once_and_the_next_one_goes_in_the_same_round() {
        OutboxMessage refused = OutboxMessage.of("test", Map.of("nobody", "x"), clock.instant());
        tx.inTransaction(() -> outbox.add(refused));
        added("2");

        Delivered round = service.deliverDue();

        assertEquals(List.of(2, 1, 0, 1), counts(round));
        OutboxMessage dead = outbox.find(refused.id()).orElseThrow();
        assertEquals(1, dead.attempts());
        assertEquals(Optional.of(clock.instant()), dead.deadAt());
        assertEquals(Optional.of("UndeliverableException: 550 5.1.1 no such mailbox"), dead.lastError());
        assertEquals(List.of(Map.of("n", "2")), delivery.delivered);
        clock.advance(Duration.ofDays(1));
        assertEquals(Delivered.NONE, service.deliverDue(), "never tried again");
    }

    @Test
    void a_message_of_an_unknown_kind_is_retried_not_dropped() {
        OutboxMessage message = OutboxMessage.of("webhook", Map.of(), clock.instant());
        tx.inTransaction(() -> outbox.add(message));

        assertEquals(List.of(1, 0, 1, 0), counts(service.deliverDue()));
        assertTrue(outbox.find(message.id()).orElseThrow().lastError().orElseThrow().contains("no delivery for kind"));
    }

    @Test
    void finished_messages_are_purged_after_the_retention_period_on_one_node_at_a_time() {
        added("1");
        service.deliverDue();
        OutboxMessage pending = added("2");
        delivery.down = true;
        service.deliverDue();

        clock.advance(Duration.ofDays(29));
        assertEquals(Optional.of(0), service.purgeFinished());
        clock.advance(Duration.ofDays(2));
        lock.holdElsewhere(true);
        assertEquals(Optional.empty(), service.purgeFinished());
        lock.holdElsewhere(false);
        assertEquals(Optional.of(1), service.purgeFinished());
        assertEquals(List.of(pending.id()), outbox.all().stream().map(OutboxMessage::id).toList());
    }

    @Test
    void retry_delays_double_up_to_the_maximum_with_at_most_a_quarter_of_jitter() {
        RetryPolicy policy = RetryPolicy.DEFAULT;
        SplittableRandom random = new SplittableRandom(1);
        Duration total = Duration.ZERO;
        Instant now = START;
        for (int attempts = 1; attempts < policy.maxAttempts(); attempts++) {
            Instant next = policy.nextAttempt(attempts, now, random).orElseThrow();
            Duration delay = Duration.between(now, next);
            Duration base = Duration.ofMinutes(3L << (attempts - 1));
            if (base.compareTo(policy.maxDelay()) > 0) base = policy.maxDelay();
            assertTrue(delay.compareTo(base) >= 0 && delay.compareTo(base.plus(base.dividedBy(4))) <= 0,
                    attempts + ": " + delay);
            total = total.plus(delay);
            now = next;
        }
        assertEquals(Optional.empty(), policy.nextAttempt(policy.maxAttempts(), now, random));
        assertTrue(total.compareTo(Duration.ofHours(20)) > 0 && total.compareTo(Duration.ofHours(27)) < 0,
                "about a day: " + total);
    }
}
