package com.orgkeys.bootstrap;

import com.orgkeys.application.webhook.port.in.DeliverWebhooksUseCase;
import com.orgkeys.application.webhook.port.out.ClaimedDelivery;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker's loop with an hour's poll: whatever it delivers within the test's bound came from a wake or a freed slot. */
class WebhookWorkerTest {
    private static final Duration AN_HOUR = Duration.ofHours(1);
    private static final long BOUND_SECONDS = 30;

    /** Due deliveries in a queue; each claim counted; each send held until {@code sends} opens. */
    private static final class Deliveries implements DeliverWebhooksUseCase {
        final ConcurrentLinkedQueue<ClaimedDelivery> due = new ConcurrentLinkedQueue<>();
        final AtomicInteger claims = new AtomicInteger();
        final CountDownLatch firstClaim = new CountDownLatch(1);
        final BlockingQueue<ClaimedDelivery> delivered = new LinkedBlockingQueue<>();
        final CountDownLatch everySlotSending = new CountDownLatch(WebhookWorker.IN_FLIGHT);
        volatile CountDownLatch sends = new CountDownLatch(0);

        @Override
        public List<ClaimedDelivery> claimDue(int limit) {
            claims.incrementAndGet();
            List<ClaimedDelivery> claimed = new ArrayList<>();
            for (ClaimedDelivery next; claimed.size() < limit && (next = due.poll()) != null; ) claimed.add(next);
            firstClaim.countDown(); // after taking: a delivery the test adds next is the next claim's
            return claimed;
        }

        @Override
        public int resumeUnfinishedOfAPreviousProcess() {
            return 0;
        }

        @Override
        public Outcome deliver(ClaimedDelivery delivery) {
            everySlotSending.countDown();
            try {
                assertTrue(sends.await(BOUND_SECONDS, TimeUnit.SECONDS), "the test opens the sends");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivered.add(delivery);
            return new Outcome(true, Optional.of(200), Optional.empty(), Optional.empty(), false);
        }

        ClaimedDelivery add() {
            ClaimedDelivery delivery = new ClaimedDelivery(UUID.randomUUID(), new WebhookEndpointId(UUID.randomUUID()),
                    "msg_" + UUID.randomUUID(), "apiKey.updated", "{}", 1);
            due.add(delivery);
            return delivery;
        }

        ClaimedDelivery nextDelivered() throws InterruptedException {
            ClaimedDelivery next = delivered.poll(BOUND_SECONDS, TimeUnit.SECONDS);
            assertNotNull(next, "delivered within " + BOUND_SECONDS + " s, far below the hour's poll");
            return next;
        }
    }

    @Test
    public void a_commit_wakes_one_claim_and_a_claim_that_took_all_that_was_due_is_not_followed_by_another() throws Exception {
        Deliveries deliveries = new Deliveries();
        WorkerPause pause = new WorkerPause();
        WebhookWorker worker = new WebhookWorker(deliveries, AN_HOUR, pause);
        try {
            assertTrue(deliveries.firstClaim.await(BOUND_SECONDS, TimeUnit.SECONDS));
            for (int i = 1; i <= 3; i++) {
                ClaimedDelivery added = deliveries.add();
                pause.wake(); // what this node's commit of a new delivery does
                assertEquals(added, deliveries.nextDelivered());
                // the start's claim, then one per wake: neither an empty claim after a partial one, nor one per send's end
                assertEquals(1 + i, deliveries.claims.get());
            }
        } finally {
            worker.close();
        }
    }

    @Test
    public void a_claim_that_filled_every_slot_claims_again_as_soon_as_one_frees() throws Exception {
        Deliveries deliveries = new Deliveries();
        deliveries.sends = new CountDownLatch(1);
        WorkerPause pause = new WorkerPause();
        WebhookWorker worker = new WebhookWorker(deliveries, AN_HOUR, pause);
        try {
            assertTrue(deliveries.firstClaim.await(BOUND_SECONDS, TimeUnit.SECONDS));
            List<ClaimedDelivery> added = new ArrayList<>();
            for (int i = 0; i < WebhookWorker.IN_FLIGHT + 1; i++) added.add(deliveries.add());
            pause.wake(); // one wake: the slots take 64, the 65th stays due with no wake left
            assertTrue(deliveries.everySlotSending.await(BOUND_SECONDS, TimeUnit.SECONDS));
            assertEquals(1, deliveries.due.size(), "every slot taken, one delivery left due");
            deliveries.sends.countDown(); // the sends end and free their slots: the worker claims the last one
            List<ClaimedDelivery> got = new ArrayList<>();
            for (int i = 0; i < added.size(); i++) got.add(deliveries.nextDelivered());
            assertEquals(added.size(), got.size());
            assertTrue(got.containsAll(added));
        } finally {
            deliveries.sends.countDown(); // a failed assertion must not leave the sends held until their bound
            worker.close();
        }
    }
}
