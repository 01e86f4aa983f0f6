package com.orgkeys.application.contract;

import com.orgkeys.application.webhook.port.out.ClaimedDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDeliveryRepository;
import com.orgkeys.application.webhook.port.out.WebhookMessage;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookUrl;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhook retention: settled messages past the cutoff go with their deliveries and attempts; nothing else does. */
public abstract class WebhookRetentionContract extends RepositoryContract {
    private static final Instant CUTOFF = at(Duration.ofDays(30));

    private WebhookDeliveryRepository deliveries() {
        return repositories.webhookDeliveries();
    }

    private WebhookEndpoint endpoint(OrganizationId organization) {
        WebhookEndpoint endpoint = WebhookEndpoint.create(Optional.of(organization),
                WebhookUrl.parse("https://hooks.example.com/in"), "", EventFilter.ALL, T0);
        repositories.webhookEndpoints().add(endpoint);
        return endpoint;
    }

    private WebhookMessage message(WebhookEndpoint to, Instant at) {
        WebhookMessage message = new WebhookMessage(WebhookMessage.newId(), to.organization(), "apiKey.created",
                "{\"type\":\"apiKey.created\"}", at);
        repositories.transactions().inTransaction(() -> deliveries().add(message,
                List.of(WebhookDelivery.of(message.id(), to.id(), at))));
        return message;
    }

    /** Claims what is due at {@code now} and settles the deliveries of {@code messages}: succeeded or given up. */
    private void settle(Instant now, boolean succeeded, WebhookMessage... messages) {
        List<String> ids = java.util.Arrays.stream(messages).map(WebhookMessage::id).toList();
        for (ClaimedDelivery c : deliveries().claimDue(now, now.plus(Duration.ofMinutes(1)), 100)) {
            if (!ids.contains(c.messageId())) continue;
            deliveries().finish(new WebhookAttempt(UUID.randomUUID(), c.deliveryId(), c.endpointId(), c.messageId(),
                    c.type(), c.attempt(), now, succeeded, Optional.of(succeeded ? 204 : 500), 5, "",
                    succeeded ? Optional.empty() : Optional.of("HTTP 500")), Optional.empty());
        }
    }

    private boolean kept(WebhookMessage message) {
        return deliveries().findMessage(message.id()).isPresent();
    }

    @Test
    public void settled_messages_past_the_cutoff_go_with_their_deliveries_and_attempts_and_the_rest_stay() {
        OrganizationId org = given.organization("Acme").id();
        WebhookEndpoint enabled = endpoint(org);
        WebhookEndpoint disabled = endpoint(org);
        WebhookMessage delivered = message(enabled, T0);
        WebhookMessage failed = message(enabled, T0.plusSeconds(1));
        WebhookMessage stillPending = message(enabled, T0.plusSeconds(2));
        WebhookMessage pendingToDisabled = message(disabled, T0.plusSeconds(3));
        WebhookMessage replayedRecently = message(enabled, T0.plusSeconds(4));
        settle(T0.plusSeconds(10), true, delivered, replayedRecently);
        settle(T0.plusSeconds(100), false, failed); // after the first claim's lease
        repositories.webhookEndpoints().update(disabled.edit(disabled.url(), "", EventFilter.ALL, false, T0.plusSeconds(20)));
        Instant recent = CUTOFF.plus(Duration.ofDays(1));
        repositories.transactions().inTransaction(() -> {
            deliveries().addDelivery(WebhookDelivery.of(replayedRecently.id(), enabled.id(), recent));
            return null;
        });
        WebhookMessage young = message(enabled, CUTOFF);
        settle(CUTOFF.plusSeconds(1), true, young);
        UUID deliveredDelivery = deliveries().attempts(enabled.id(), 100).stream()
                .filter(a -> a.messageId().equals(delivered.id())).findFirst().orElseThrow().deliveryId();

        assertEquals(3, deliveries().deleteSettledBefore(CUTOFF, 100));

        assertFalse(kept(delivered));
        assertFalse(kept(failed));
        assertFalse(kept(pendingToDisabled));
        assertTrue(kept(stillPending), "pending to an enabled endpoint");
        assertTrue(kept(replayedRecently), "a delivery newer than the cutoff");
        assertTrue(kept(young), "created at the cutoff");
        assertEquals(Optional.empty(), deliveries().findDelivery(deliveredDelivery));
        assertTrue(deliveries().attempts(enabled.id(), 100).stream().noneMatch(a -> a.messageId().equals(delivered.id())
                || a.messageId().equals(failed.id())), "their attempts went with them");
        assertTrue(deliveries().attempts(enabled.id(), 100).stream().anyMatch(a -> a.messageId().equals(young.id())));
        assertFalse(deliveries().wasSent(enabled.id(), delivered.id()));
        assertTrue(deliveries().wasSent(enabled.id(), stillPending.id()));
        assertEquals(0, deliveries().deleteSettledBefore(CUTOFF, 100));
    }

    @Test
    public void a_batch_takes_the_oldest_settled_messages_up_to_its_limit() {
        WebhookEndpoint endpoint = endpoint(given.organization("Acme").id());
        WebhookMessage first = message(endpoint, T0);
        WebhookMessage second = message(endpoint, T0.plusSeconds(1));
        WebhookMessage third = message(endpoint, T0.plusSeconds(2));
        settle(T0.plusSeconds(5), true, first, second, third);

        assertEquals(2, deliveries().deleteSettledBefore(CUTOFF, 2));
        assertFalse(kept(first));
        assertFalse(kept(second));
        assertTrue(kept(third));
        assertEquals(1, deliveries().deleteSettledBefore(CUTOFF, 2));
        assertFalse(kept(third));
    }
}
