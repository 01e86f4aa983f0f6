package com.orgkeys.application.webhook.service;

import com.orgkeys.application.account.service.SharedAccountThrottle;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.CreateEndpointCommand;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test events and replays are limited per endpoint, whoever asks, so that no caller floods a receiver. */
class WebhookSendLimitsTest {
    private final TestApplication app = new TestApplication();
    private final WebhookService webhooks = app.webhooks;
    private final com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn alice = app.signUp("Alice");
    private final com.orgkeys.domain.organization.Organization acme = app.organization("Acme", alice);
    private final Caller admin = app.callerOf(alice);

    private WebhookEndpoint endpoint(Caller caller, String url) {
        return webhooks.createEndpoint(caller, new CreateEndpointCommand(url, "", List.of(), null));
    }

    private int deliveries() {
        return app.webhookDeliveries.deliveries().size();
    }

    @Test
    public void test_events_and_replays_share_a_per_endpoint_budget_and_a_refusal_sends_nothing() {
        WebhookEndpoint endpoint = endpoint(admin, "https://hooks.example.com/in");
        WebhookEndpoint other = endpoint(admin, "https://other.example.com/in");
        String message = webhooks.sendTestEvent(admin, endpoint.id());
        for (int i = 1; i < SharedAccountThrottle.WEBHOOK_SENDS_PER_ENDPOINT; i++) {
            webhooks.replayMessage(admin, endpoint.id(), message);
        }
        int before = deliveries();
        int audited = app.auditLog.all(acme.id()).size();

        var refused = assertThrows(RateLimitedException.class, () -> webhooks.sendTestEvent(admin, endpoint.id()));
        assertThrows(RateLimitedException.class, () -> webhooks.replayMessage(admin, endpoint.id(), message));
        assertTrue(refused.retryAfter().compareTo(Duration.ZERO) > 0
                && refused.retryAfter().compareTo(SharedAccountThrottle.WEBHOOK_SEND_INTERVAL) <= 0, refused.retryAfter()::toString);
        assertEquals(before, deliveries(), "nothing queued");
        assertEquals(audited, app.auditLog.all(acme.id()).size(), "nothing audited");

        webhooks.sendTestEvent(admin, other.id()); // another endpoint has its own budget
        app.clock.advance(SharedAccountThrottle.WEBHOOK_SEND_INTERVAL);
        webhooks.replayMessage(admin, endpoint.id(), message); // one more per interval
        assertThrows(RateLimitedException.class, () -> webhooks.sendTestEvent(admin, endpoint.id()));
    }
}
