package com.orgkeys.application.apikeyexpiry.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreatedApiKey;
import com.orgkeys.application.apikeyexpiry.port.in.SendExpiryNoticesUseCase.Sent;
import com.orgkeys.application.retention.port.out.JobLock;
import com.orgkeys.application.testing.InMemoryExpiryNoticeRepository;
import com.orgkeys.application.testing.InMemoryJobLock;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.application.webhook.port.out.WebhookMessage;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The expiry notices' job with keys made through the use case; see ExpiryNoticesContract for the rest. */
class SendExpiryNoticesServiceTest {
    private final TestApplication app = new TestApplication();
    private final InMemoryJobLock lock = new InMemoryJobLock();
    /** As the advisory lock: the work in one transaction, when the lock is free. */
    private final JobLock inTransaction = new JobLock() {
        @Override
        public <T> Optional<T> tryExclusively(Supplier<T> work) {
            return lock.tryExclusively(() -> app.tx.inTransaction(work));
        }
    };
    private final SendExpiryNoticesService job = new SendExpiryNoticesService(
            new InMemoryExpiryNoticeRepository(app.store), app.webhookEvents, inTransaction, app.clock);
    private final SignedIn alice = app.signUp("Alice");
    private final Organization acme = app.organization("Acme", alice);
    private final WebhookEndpoint endpoint = app.webhookEndpoint(Optional.of(acme.id()));

    private CreatedApiKey key(Duration lifetime) {
        return app.apiKeys.createApiKey(app.callerOf(alice),
                new CreateApiKeyCommand("Deploy", "", Optional.of(List.of("org:agents:read")), Optional.of(lifetime)));
    }

    private List<String> types() {
        return app.webhookMessagesTo(endpoint.id()).stream().map(WebhookMessage::type).toList();
    }

    @Test
    void a_key_made_with_three_days_left_is_told_only_that_it_expired() {
        CreatedApiKey key = key(Duration.ofDays(3));

        assertEquals(new Sent(0, 0, false), job.sendDue(), "made inside its last week: no expiring notice");
        app.clock.advance(Duration.ofDays(3));
        assertEquals(new Sent(0, 1, false), job.sendDue());

        assertEquals(List.of("apiKey.expired"), types());
        String body = app.webhookMessagesTo(endpoint.id()).getFirst().body();
        assertTrue(body.contains("\"id\":\"" + key.key().id() + "\"") && !body.contains(key.secret()), body);
    }

    @Test
    void a_key_revoked_before_its_notices_is_told_nothing() {
        CreatedApiKey key = key(Duration.ofDays(30));
        app.apiKeys.revokeApiKey(app.callerOf(alice), key.key().id(), Optional.of("not needed"));

        app.clock.advance(Duration.ofDays(23));
        job.sendDue();
        app.clock.advance(Duration.ofDays(7));
        job.sendDue();

        assertEquals(List.of(), types());
    }

    @Test
    void while_another_node_holds_the_lock_the_run_is_skipped_and_the_notice_waits() {
        key(Duration.ofDays(3));
        app.clock.advance(Duration.ofDays(4));
        lock.holdElsewhere(true);

        assertEquals(Sent.SKIPPED, job.sendDue());
        assertEquals(List.of(), types());

        lock.holdElsewhere(false);
        assertEquals(new Sent(0, 1, false), job.sendDue());
        assertEquals(List.of("apiKey.expired"), types());
    }
}
