package com.orgkeys.persistence.outbox;

import com.icegreen.greenmail.util.DummySSLSocketFactory;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.orgkeys.application.mail.port.out.InvitationMail;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.application.outbox.port.in.ProcessOutboxUseCase.Delivered;
import com.orgkeys.application.outbox.port.out.OutboxMessage;
import com.orgkeys.application.outbox.service.OutboxDelivery;
import com.orgkeys.application.outbox.service.OutboxService;
import com.orgkeys.application.outbox.service.RetryPolicy;
import com.orgkeys.application.testing.MutableClock;
import com.orgkeys.domain.account.Email;
import com.orgkeys.persistence.database.Database;
import com.orgkeys.persistence.database.DatabaseUrl;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.mail.SmtpMailer;
import com.orgkeys.persistence.mail.SmtpUrl;
import com.orgkeys.persistence.retention.AdvisoryJobLock;
import com.orgkeys.persistence.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox as nodes run it: workers over one database, and a real SMTP server that goes away and comes back. */
class OutboxOnPostgresTest {
    private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
    private static final RetryPolicy RETRIES = new RetryPolicy(10, Duration.ofMinutes(1), Duration.ofHours(1));

    private final DatabaseUrl url = TestPostgres.newDatabase();
    private final Database nodeA = Database.connect(url, 4);
    private final Database nodeB = Database.connect(url, 4);
    private final Jdbc jdbcA = new Jdbc(nodeA.dataSource());
    private final Jdbc jdbcB = new Jdbc(nodeB.dataSource());
    private final MutableClock clock = new MutableClock(START);

    /** claimed, sent, retried, dead */
    private static List<Integer> counts(Delivered delivered) {
        return List.of(delivered.claimed(), delivered.sent(), delivered.retried(), delivered.dead().size());
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    private OutboxService worker(Jdbc jdbc, OutboxDelivery delivery) {
        return new OutboxService(new JdbcOutboxRepository(jdbc), jdbc, clock, List.of(delivery), RETRIES,
                OutboxService.BATCH_SIZE, new AdvisoryJobLock(jdbc, AdvisoryJobLock.RETENTION_KEY), Duration.ofDays(30));
    }

    /** Counts deliveries per message; {@code whileDelivering} runs before each one. */
    private record CountingDelivery(Map<String, AtomicInteger> counts, Runnable whileDelivering) implements OutboxDelivery {
        @Override
        public String kind() {
            return "test";
        }

        @Override
        public void deliver(Map<String, String> payload) {
            whileDelivering.run();
            counts.computeIfAbsent(payload.get("n"), n -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Test
    void two_workers_on_two_nodes_never_deliver_the_same_message_twice() throws Exception {
        JdbcOutboxRepository outbox = new JdbcOutboxRepository(jdbcA);
        for (int n = 0; n < 200; n++) {
            OutboxMessage message = OutboxMessage.of("test", Map.of("n", String.valueOf(n)), START);
            jdbcA.inTransaction(() -> outbox.add(message));
        }
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        CountDownLatch bDelivered = new CountDownLatch(1);
        AtomicInteger byB = new AtomicInteger();
        // A holds its first batch until B has delivered one: B must have skipped A's rows, not waited for them
        OutboxService a = worker(jdbcA, new CountingDelivery(counts, () -> {
            try {
                if (!bDelivered.await(20, TimeUnit.SECONDS)) throw new AssertionError("B delivered nothing meanwhile");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        OutboxService b = worker(jdbcB, new CountingDelivery(counts, () -> {
            byB.incrementAndGet();
            bDelivered.countDown();
        }));

        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<Integer> sentByA = threads.submit(() -> drain(a));
            Future<Integer> sentByB = threads.submit(() -> drain(b));
            assertEquals(200, sentByA.get(60, TimeUnit.SECONDS) + sentByB.get(60, TimeUnit.SECONDS));
        }

        assertEquals(200, counts.size());
        counts.forEach((n, count) -> assertEquals(1, count.get(), "message " + n));
        assertTrue(byB.get() > 0);
        assertEquals(0L, jdbcA.count("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"));
    }

    /** Delivers until nothing is due; how many it sent. */
    private static int drain(OutboxService worker) {
        int sent = 0;
        Delivered delivered;
        do {
            delivered = worker.deliverDue();
            sent += delivered.sent();
        } while (delivered.claimed() > 0);
        return sent;
    }

    @Test
    void a_mail_for_a_server_that_is_down_is_retried_later_and_arrives_exactly_once_when_it_is_back() {
        GreenMail first = new GreenMail(ServerSetupTest.SMTPS.dynamicPort());
        first.start();
        int port = first.getSmtps().getPort();
        first.stop();
        SmtpMailer smtp = new SmtpMailer(SmtpUrl.parse("smtps://127.0.0.1:" + port),
                SmtpMailer.parseFrom("keys@example.com"), URI.create("https://keys.example.com"),
                new SmtpMailer.Tls(Optional.of(new DummySSLSocketFactory()), false), clock);
        JdbcOutboxRepository outbox = new JdbcOutboxRepository(jdbcA);
        MailOutbox mails = new MailOutbox(outbox, smtp, clock);
        OutboxService worker = new OutboxService(outbox, jdbcA, clock, List.of(mails), RETRIES, OutboxService.BATCH_SIZE,
                new AdvisoryJobLock(jdbcA, AdvisoryJobLock.RETENTION_KEY), Duration.ofDays(30));
        jdbcA.inTransaction(() -> mails.enqueue(new InvitationMail(new Email("bob@example.com"), "Acme", "Alice",
                "Admin", "https://keys.example.com/invitations/accept?token=t", START.plus(Duration.ofDays(7)))));

        assertEquals(List.of(1, 0, 1, 0), counts(worker.deliverDue()), "refused: kept for later");
        assertEquals(List.of(0, 0, 0, 0), counts(worker.deliverDue()), "not before its retry time");

        GreenMail back = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        back.start();
        try {
            clock.advance(Duration.ofMinutes(2));
            assertEquals(List.of(1, 1, 0, 0), counts(worker.deliverDue()));
            clock.advance(Duration.ofDays(2));
            assertEquals(Delivered.NONE, worker.deliverDue());
            assertEquals(1, back.getReceivedMessages().length, "exactly once");
            assertEquals(1L, jdbcA.count("SELECT count(*) FROM outbox_messages WHERE sent_at IS NOT NULL"
                    + " AND attempts = 1 AND last_error LIKE 'IllegalStateException: SMTP smtps://127.0.0.1:%'"));
        } finally {
            back.stop();
        }
    }
}
