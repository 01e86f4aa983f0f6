package com.orgkeys.application.contract;

import com.orgkeys.application.apikeyexpiry.port.in.SendExpiryNoticesUseCase.Sent;
import com.orgkeys.application.apikeyexpiry.service.SendExpiryNoticesService;
import com.orgkeys.application.retention.port.out.JobLock;
import com.orgkeys.application.testing.FakeMetadataJson;
import com.orgkeys.application.testing.MutableClock;
import com.orgkeys.application.webhook.service.WebhookEventRecorder;
import com.orgkeys.application.webhook.service.WebhookEvents;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookUrl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The expiry notices' job (apiKey.expiring, apiKey.expired) on the fake repositories and on PostgreSQL: each notice
 * once, at its time, with its event written in the batch's transaction; none for a revoked key.
 */
public abstract class ExpiryNoticesContract extends RepositoryContract {
    /** An event as recorded: its type, the key it is about, and the message it was written as. */
    private record Recorded(String type, String keyId, String messageId) {
    }

    private final MutableClock clock = new MutableClock(T0);
    private final List<Recorded> recorded = Collections.synchronizedList(new ArrayList<>());
    private Organization acme;

    @BeforeEach
    final void acmeHasAnEndpoint() {
        acme = given.organization("Acme");
        repositories.webhookEndpoints().add(WebhookEndpoint.create(Optional.of(acme.id()),
                WebhookUrl.parse("https://hooks.example.com/in"), "", EventFilter.ALL, T0));
    }

    /** A node's job: the lock is the batch's transaction alone (no advisory lock), so only the rows keep it once. */
    private SendExpiryNoticesService job(int batchSize) {
        WebhookEventRecorder recorder = new WebhookEventRecorder(repositories.webhookEndpoints(),
                repositories.webhookDeliveries(), FakeMetadataJson.INSTANCE, repositories.transactions(), clock);
        WebhookEvents recording = new WebhookEvents() {
            @Override
            public Optional<String> record(Optional<OrganizationId> organization, String type, Map<String, Object> data) {
                Optional<String> id = recorder.record(organization, type, data);
                recorded.add(new Recorded(type, (String) data.get("id"), id.orElseThrow()));
                return id;
            }
        };
        JobLock inTransaction = new JobLock() {
            @Override
            public <T> Optional<T> tryExclusively(Supplier<T> work) {
                return Optional.of(repositories.transactions().inTransaction(work));
            }
        };
        return new SendExpiryNoticesService(repositories.expiryNotices(), recording, inTransaction, clock, batchSize, 1000);
    }

    private Sent runAt(Instant now) {
        clock.set(now);
        return job(100).sendDue();
    }

    private ApiKey key(Instant createdAt, Duration lifetime) {
        return given.apiKey(acme, "Deploy", "", createdAt, Optional.of(createdAt.plus(lifetime)));
    }

    private List<String> typesOf(ApiKey key) {
        synchronized (recorded) {
            return recorded.stream().filter(r -> r.keyId().equals(key.id().toString())).map(Recorded::type).toList();
        }
    }

    @Test
    public void a_key_is_told_expiring_seven_days_before_its_expiry_and_expired_when_it_passes_once_each() {
        ApiKey key = key(T0, Duration.ofDays(30));

        assertEquals(new Sent(0, 0, false), runAt(at(Duration.ofDays(23)).minusSeconds(1)));
        assertEquals(new Sent(1, 0, false), runAt(at(Duration.ofDays(23))));
        assertEquals(new Sent(0, 0, false), runAt(at(Duration.ofDays(23)).plusSeconds(60)), "once");
        assertEquals(new Sent(0, 0, false), runAt(at(Duration.ofDays(30)).minusSeconds(1)));
        assertEquals(new Sent(0, 1, false), runAt(at(Duration.ofDays(30))));
        assertEquals(new Sent(0, 0, false), runAt(at(Duration.ofDays(31))), "once");

        assertEquals(List.of("apiKey.expiring", "apiKey.expired"), typesOf(key));
        String expiring = repositories.webhookDeliveries().findMessage(recorded.get(0).messageId()).orElseThrow().body();
        assertTrue(expiring.contains("\"type\":\"apiKey.expiring\""), expiring);
        assertTrue(expiring.contains("\"expired\":false") && expiring.contains("\"revoked\":false"), expiring);
        assertTrue(expiring.contains("\"expiration\":" + key.expiresAt().orElseThrow().toEpochMilli()), expiring);
        String expired = repositories.webhookDeliveries().findMessage(recorded.get(1).messageId()).orElseThrow().body();
        assertTrue(expired.contains("\"type\":\"apiKey.expired\"") && expired.contains("\"expired\":true"), expired);
        assertFalse(expired.contains(key.secretHash()), "never the secret's hash");
    }

    @Test
    public void a_key_made_with_three_days_left_is_told_only_expired() {
        ApiKey key = key(T0, Duration.ofDays(3));

        assertEquals(new Sent(0, 0, false), runAt(T0.plusSeconds(60)));
        assertEquals(new Sent(0, 0, false), runAt(at(Duration.ofDays(2))));
        assertEquals(new Sent(0, 1, false), runAt(at(Duration.ofDays(3))));

        assertEquals(List.of("apiKey.expired"), typesOf(key));
    }

    @Test
    public void a_revoked_key_is_told_nothing_more_and_a_disabled_one_is_told_both() {
        ApiKey revokedEarly = key(T0, Duration.ofDays(30));
        ApiKey revokedAfterExpiring = key(T0, Duration.ofDays(30));
        ApiKey disabled = key(T0, Duration.ofDays(30));
        assertTrue(repositories.apiKeys().markRevoked(revokedEarly.revoke(Optional.of("leaked"), at(Duration.ofDays(1)))));
        assertTrue(repositories.apiKeys().update(disabled.disable(at(Duration.ofDays(1)))));

        runAt(at(Duration.ofDays(24)));
        assertTrue(repositories.apiKeys().markRevoked(
                revokedAfterExpiring.revoke(Optional.empty(), at(Duration.ofDays(25)))));
        runAt(at(Duration.ofDays(30)));

        assertEquals(List.of(), typesOf(revokedEarly));
        assertEquals(List.of("apiKey.expiring"), typesOf(revokedAfterExpiring));
        assertEquals(List.of("apiKey.expiring", "apiKey.expired"), typesOf(disabled));
    }

    @Test
    public void a_key_first_seen_after_its_expiry_is_told_only_expired_and_keys_without_expiry_nothing() {
        ApiKey missed = key(T0, Duration.ofDays(30));
        ApiKey forever = given.apiKey(acme, "Forever", "", T0, Optional.empty());

        assertEquals(new Sent(0, 1, false), runAt(at(Duration.ofDays(40)))); // the job was not running for weeks

        assertEquals(List.of("apiKey.expired"), typesOf(missed));
        assertEquals(List.of(), typesOf(forever));
        assertEquals(new Sent(0, 0, false), runAt(at(Duration.ofDays(4000))));
    }

    @Test
    public void many_due_keys_go_in_batches_soonest_first() {
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) keys.add(key(T0.plusSeconds(i), Duration.ofDays(3)));
        clock.set(at(Duration.ofDays(4)));

        assertEquals(new Sent(0, 25, false), job(10).sendDue());

        List<String> order = recorded.stream().map(Recorded::keyId).toList();
        assertEquals(keys.stream().map(k -> k.id().toString()).toList(), order);
    }

    @Test
    public void two_nodes_running_the_job_at_once_record_each_notice_once() throws Exception {
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < 60; i++) keys.add(key(T0.plusSeconds(i), Duration.ofDays(i % 2 == 0 ? 3 : 30)));
        clock.set(at(Duration.ofDays(29))); // the 3-day keys expired, the 30-day ones in their last week
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            List<Future<Sent>> runs = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                SendExpiryNoticesService job = job(5);
                runs.add(nodes.submit(() -> {
                    start.await();
                    return job.sendDue();
                }));
            }
            start.countDown();
            int expiring = 0;
            int expired = 0;
            for (Future<Sent> run : runs) {
                expiring += run.get().expiring();
                expired += run.get().expired();
            }
            assertEquals(30, expiring);
            assertEquals(30, expired);
        } finally {
            nodes.shutdownNow();
        }
        runAt(at(Duration.ofDays(29)).plusSeconds(60)); // whatever one node skipped is done by the next run
        for (ApiKey key : keys) {
            boolean shortLived = key.expiresAt().orElseThrow().isBefore(at(Duration.ofDays(29)));
            assertEquals(List.of(shortLived ? "apiKey.expired" : "apiKey.expiring"), typesOf(key), key.toString());
        }
    }
}
