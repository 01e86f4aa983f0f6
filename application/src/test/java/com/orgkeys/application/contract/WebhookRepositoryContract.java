package com.orgkeys.application.contract;

import com.orgkeys.application.webhook.port.out.ClaimedDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDelivery;
import com.orgkeys.application.webhook.port.out.WebhookDeliveryRepository;
import com.orgkeys.application.webhook.port.out.WebhookEndpointRepository;
import com.orgkeys.application.webhook.port.out.WebhookMessage;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookSecret;
import com.orgkeys.domain.webhook.WebhookUrl;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public abstract class WebhookRepositoryContract extends RepositoryContract {
    private WebhookEndpointRepository endpoints() {
        return repositories.webhookEndpoints();
    }

    private WebhookDeliveryRepository deliveries() {
        return repositories.webhookDeliveries();
    }

    private WebhookEndpoint endpoint(Optional<OrganizationId> organization, EventFilter filter, Instant at) {
        WebhookEndpoint endpoint = WebhookEndpoint.create(organization, WebhookUrl.parse("https://hooks.example.com/in"),
                "Ünïcödé \"receiver\"", filter, at);
        endpoints().add(endpoint);
        return endpoint;
    }

    private WebhookMessage message(Optional<OrganizationId> organization, String type, List<WebhookEndpoint> to,
                                   Instant at) {
        WebhookMessage message = new WebhookMessage(WebhookMessage.newId(), organization, type,
                "{\"type\":\"" + type + "\",\"data\":{\"name\":\"\\u00fc \\\"q\\\"\"}}", at);
        repositories.transactions().inTransaction(() -> deliveries().add(message,
                to.stream().map(e -> WebhookDelivery.of(message.id(), e.id(), at)).toList()));
        return message;
    }

    private List<ClaimedDelivery> claim(Instant now, int limit) {
        return deliveries().claimDue(now, now.plus(Duration.ofMinutes(1)), limit);
    }

    private static WebhookAttempt attempt(ClaimedDelivery c, boolean succeeded, Instant at) {
        return new WebhookAttempt(UUID.randomUUID(), c.deliveryId(), c.endpointId(), c.messageId(), c.type(),
                c.attempt(), at, succeeded, succeeded ? Optional.of(204) : Optional.of(503), 12, "x".repeat(2000),
                succeeded ? Optional.empty() : Optional.of("HTTP 503\nline"));
    }

    @Test
    public void an_endpoint_reads_back_as_it_was_stored_and_updates_replace_it() {
        Organization organization = given.organization("Acme");
        WebhookEndpoint endpoint = endpoint(Optional.of(organization.id()), new EventFilter(Set.of("apiKey.created")), T0);

        assertEquals(Optional.of(endpoint), endpoints().find(endpoint.id()));
        WebhookEndpoint rotated = endpoint.rotateSecret(WebhookSecret.generate(), at(Duration.ofMinutes(1)));
        endpoints().update(rotated);
        assertEquals(Optional.of(rotated), endpoints().find(endpoint.id()));
        assertEquals(List.of(rotated), endpoints().listFor(Optional.of(organization.id())));
        assertEquals(List.of(), endpoints().listFor(Optional.empty()));
    }

    @Test
    public void events_go_to_the_enabled_endpoints_of_their_organization_and_of_the_instance_whose_filter_matches() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        WebhookEndpoint all = endpoint(Optional.of(acme.id()), EventFilter.ALL, T0);
        WebhookEndpoint keysOnly = endpoint(Optional.of(acme.id()), new EventFilter(Set.of("apiKey.created")), at(Duration.ofSeconds(1)));
        WebhookEndpoint instance = endpoint(Optional.empty(), EventFilter.ALL, at(Duration.ofSeconds(2)));
        endpoint(Optional.of(other.id()), EventFilter.ALL, at(Duration.ofSeconds(3)));

        assertEquals(ids(all, keysOnly, instance), endpoints().receiving(Optional.of(acme.id()), "apiKey.created"));
        assertEquals(ids(all, instance), endpoints().receiving(Optional.of(acme.id()), "user.created"));
        assertEquals(ids(instance), endpoints().receiving(Optional.empty(), "user.created"));
    }

    @Test
    public void an_endpoint_failing_long_enough_is_disabled_once_and_a_success_clears_the_failure() {
        WebhookEndpoint endpoint = endpoint(Optional.empty(), EventFilter.ALL, T0);
        endpoints().markFailing(endpoint.id(), at(Duration.ofDays(1)));
        endpoints().markFailing(endpoint.id(), at(Duration.ofDays(2)));
        assertEquals(Optional.of(at(Duration.ofDays(1))), endpoints().find(endpoint.id()).orElseThrow().failingSince());

        assertFalse(endpoints().disableIfFailingSince(endpoint.id(), T0, at(Duration.ofDays(5))));
        assertTrue(endpoints().disableIfFailingSince(endpoint.id(), at(Duration.ofDays(1)), at(Duration.ofDays(6))));
        assertFalse(endpoints().disableIfFailingSince(endpoint.id(), at(Duration.ofDays(1)), at(Duration.ofDays(6))),
                "disabled once");
        assertFalse(endpoints().find(endpoint.id()).orElseThrow().enabled());
        assertEquals(List.of(), endpoints().receiving(Optional.empty(), "user.created"));

        endpoints().markSucceeding(endpoint.id());
        assertEquals(Optional.empty(), endpoints().find(endpoint.id()).orElseThrow().failingSince());
    }

    @Test
    public void a_claimed_delivery_is_leased_and_due_again_when_the_lease_ends_without_an_outcome() {
        WebhookEndpoint endpoint = endpoint(Optional.empty(), EventFilter.ALL, T0);
        WebhookMessage message = message(Optional.empty(), "user.created", List.of(endpoint), T0);

        List<ClaimedDelivery> first = claim(T0, 10);
        assertEquals(1, first.size());
        assertEquals(message.body(), first.getFirst().body());
        assertEquals(message.id(), first.getFirst().messageId());
        assertEquals(1, first.getFirst().attempt());
        assertEquals(List.of(), claim(T0.plusSeconds(59), 10), "leased");

        List<ClaimedDelivery> again = claim(T0.plusSeconds(60), 10);
        assertEquals(2, again.getFirst().attempt(), "the worker died: a new attempt");
    }

    @Test
    public void ending_unfinished_claims_makes_them_due_now_and_leaves_retries_and_finished_ones_as_they_are() {
        WebhookEndpoint endpoint = endpoint(Optional.empty(), EventFilter.ALL, T0);
        for (int i = 0; i < 4; i++) message(Optional.empty(), "user.created", List.of(endpoint), T0);
        List<ClaimedDelivery> claimed = claim(T0, 10);
        deliveries().finish(attempt(claimed.get(0), true, T0), Optional.empty());
        deliveries().finish(attempt(claimed.get(1), false, T0), Optional.of(T0.plusSeconds(300)));
        WebhookMessage unclaimed = message(Optional.empty(), "user.created", List.of(endpoint), T0);

        Instant restart = T0.plusSeconds(1);
        assertEquals(2, deliveries().endUnfinishedClaims(restart), "the two claims without an outcome");

        List<ClaimedDelivery> due = claim(restart, 10);
        assertEquals(java.util.Set.of(claimed.get(2).deliveryId(), claimed.get(3).deliveryId()), due.stream()
                .filter(c -> c.attempt() == 2).map(ClaimedDelivery::deliveryId).collect(java.util.stream.Collectors.toSet()));
        assertEquals(List.of(unclaimed.id()), due.stream().filter(c -> c.attempt() == 1).map(ClaimedDelivery::messageId)
                .toList(), "a delivery never claimed was due anyway");
        assertEquals(3, due.size(), "neither the delivered one nor the retry, due at T0 + 300 s");
        assertEquals(WebhookDelivery.Status.SUCCEEDED, deliveries().findDelivery(claimed.get(0).deliveryId())
                .orElseThrow().status());
        assertEquals(T0.plusSeconds(300), deliveries().findDelivery(claimed.get(1).deliveryId()).orElseThrow()
                .nextAttemptAt());
    }

    @Test
    public void outcomes_finish_or_reschedule_and_a_late_outcome_of_an_older_claim_changes_nothing() {
        WebhookEndpoint endpoint = endpoint(Optional.empty(), EventFilter.ALL, T0);
        message(Optional.empty(), "user.created", List.of(endpoint), T0);
        ClaimedDelivery first = claim(T0, 10).getFirst();
        ClaimedDelivery second = claim(T0.plusSeconds(60), 10).getFirst();

        deliveries().finish(attempt(second, false, T0.plusSeconds(61)), Optional.of(T0.plusSeconds(300)));
        deliveries().finish(attempt(first, true, T0.plusSeconds(62)), Optional.empty());
        WebhookDelivery delivery = deliveries().findDelivery(first.deliveryId()).orElseThrow();
        assertEquals(WebhookDelivery.Status.PENDING, delivery.status(), "the older claim's success came late");
        assertEquals(T0.plusSeconds(300), delivery.nextAttemptAt());

        ClaimedDelivery third = claim(T0.plusSeconds(300), 10).getFirst();
        deliveries().finish(attempt(third, true, T0.plusSeconds(301)), Optional.empty());
        assertEquals(WebhookDelivery.Status.SUCCEEDED, deliveries().findDelivery(first.deliveryId()).orElseThrow().status());
        assertEquals(List.of(), claim(T0.plus(Duration.ofDays(1)), 10));

        List<WebhookAttempt> attempts = deliveries().attempts(endpoint.id(), 10);
        assertEquals(3, attempts.size());
        assertEquals(T0.plusSeconds(301), attempts.getFirst().attemptedAt(), "newest first");
        assertEquals(WebhookAttempt.MAX_BODY, attempts.getFirst().responseBody().length());
        assertEquals(Optional.of("HTTP 503 line"), attempts.getLast().error());
    }

    @Test
    public void a_delivery_given_up_on_is_never_claimed_again() {
        WebhookEndpoint endpoint = endpoint(Optional.empty(), EventFilter.ALL, T0);
        message(Optional.empty(), "user.created", List.of(endpoint), T0);
        ClaimedDelivery claimed = claim(T0, 10).getFirst();

        deliveries().finish(attempt(claimed, false, T0), Optional.empty());

        assertEquals(WebhookDelivery.Status.FAILED, deliveries().findDelivery(claimed.deliveryId()).orElseThrow().status());
        assertEquals(List.of(), claim(T0.plus(Duration.ofDays(30)), 10));
    }

    @Test
    public void due_deliveries_are_claimed_up_to_the_limit_and_a_rolled_back_event_does_not_exist() {
        WebhookEndpoint endpoint = endpoint(Optional.empty(), EventFilter.ALL, T0);
        for (int i = 0; i < 3; i++) message(Optional.empty(), "user.created", List.of(endpoint), at(Duration.ofSeconds(i)));
        WebhookMessage rolledBack = new WebhookMessage(WebhookMessage.newId(), Optional.empty(), "user.created", "{}", T0);
        assertThrows(IllegalStateException.class, () -> repositories.transactions().inTransaction(() -> {
            deliveries().add(rolledBack, List.of(WebhookDelivery.of(rolledBack.id(), endpoint.id(), T0)));
            throw new IllegalStateException("the change failed");
        }));

        assertEquals(Optional.empty(), deliveries().findMessage(rolledBack.id()));
        assertEquals(List.of(), claim(T0.minusSeconds(1), 10), "not due before it was made");
        assertEquals(2, claim(at(Duration.ofSeconds(10)), 2).size());
        assertEquals(1, claim(at(Duration.ofSeconds(10)), 2).size());
    }

    @Test
    public void deleting_an_endpoint_or_its_organization_deletes_its_deliveries_and_attempts() {
        Organization organization = given.organization("Acme");
        WebhookEndpoint endpoint = endpoint(Optional.of(organization.id()), EventFilter.ALL, T0);
        WebhookEndpoint other = endpoint(Optional.of(organization.id()), EventFilter.ALL, T0.plusSeconds(1));
        WebhookMessage message = message(Optional.of(organization.id()), "user.created", List.of(endpoint, other), T0);
        ClaimedDelivery claimed = claim(T0, 10).getFirst();
        deliveries().finish(attempt(claimed, true, T0), Optional.empty());

        assertTrue(endpoints().delete(claimed.endpointId()));
        assertFalse(endpoints().delete(claimed.endpointId()));
        assertEquals(Optional.empty(), deliveries().findDelivery(claimed.deliveryId()));
        assertEquals(List.of(), deliveries().attempts(claimed.endpointId(), 10));

        repositories.transactions().inTransaction(() -> repositories.organizations().delete(organization.id()));
        assertEquals(Optional.empty(), endpoints().find(other.id()));
        assertEquals(Optional.empty(), deliveries().findMessage(message.id()));
    }

    @Test
    public void attempts_page_newest_first_with_cursors_and_only_the_endpoint_s_own() {
        Organization acme = given.organization("Acme");
        WebhookEndpoint one = endpoint(Optional.of(acme.id()), EventFilter.ALL, T0);
        WebhookEndpoint other = endpoint(Optional.of(acme.id()), EventFilter.ALL, T0);
        for (int i = 0; i < 5; i++) message(Optional.of(acme.id()), "apiKey.created", List.of(one, other), at(Duration.ofSeconds(i)));
        Instant now = at(Duration.ofMinutes(1));
        List<ClaimedDelivery> claimed = claim(now, 100);
        assertEquals(10, claimed.size());
        for (int i = 0; i < claimed.size(); i++) {
            ClaimedDelivery c = claimed.get(i);
            Instant when = now.plusSeconds(i / 2);
            repositories.transactions().inTransaction(() -> deliveries().finish(attempt(c, true, when), Optional.empty()));
        }

        var first = deliveries().attemptPage(one.id(), com.orgkeys.domain.shared.PageRequest.first(2));
        assertEquals(5, first.totalCount());
        assertEquals(2, first.data().size());
        assertTrue(first.data().stream().allMatch(a -> a.endpointId().equals(one.id())));
        assertFalse(first.data().get(0).attemptedAt().isBefore(first.data().get(1).attemptedAt()), "newest first");
        var second = deliveries().attemptPage(one.id(), com.orgkeys.domain.shared.PageRequest.at(first.nextCursor().orElseThrow(), 2));
        var third = deliveries().attemptPage(one.id(), com.orgkeys.domain.shared.PageRequest.at(second.nextCursor().orElseThrow(), 2));
        List<UUID> ids = new java.util.ArrayList<>();
        for (var page : List.of(first, second, third)) page.data().forEach(a -> ids.add(a.id()));
        assertEquals(5, Set.copyOf(ids).size());
        assertEquals(deliveries().attempts(one.id(), 10).stream().map(WebhookAttempt::id).toList(), ids);
        assertTrue(third.nextCursor().isEmpty());
        // a cursor of one endpoint's list is refused by another's
        assertThrows(com.orgkeys.domain.shared.InvalidInputException.class, () -> deliveries().attemptPage(other.id(),
                com.orgkeys.domain.shared.PageRequest.at(first.nextCursor().orElseThrow(), 2)));
    }

    @Test
    public void a_message_sent_to_an_endpoint_can_be_delivered_there_again_and_nowhere_else_counts_as_sent() {
        Organization acme = given.organization("Acme");
        WebhookEndpoint one = endpoint(Optional.of(acme.id()), EventFilter.ALL, T0);
        WebhookEndpoint other = endpoint(Optional.of(acme.id()), EventFilter.ALL, T0);
        WebhookMessage message = message(Optional.of(acme.id()), "apiKey.created", List.of(one), T0);
        assertTrue(deliveries().wasSent(one.id(), message.id()));
        assertFalse(deliveries().wasSent(other.id(), message.id()));
        assertFalse(deliveries().wasSent(one.id(), "msg_nosuch"));
        claim(at(Duration.ofSeconds(1)), 10);

        WebhookDelivery replay = WebhookDelivery.of(message.id(), one.id(), at(Duration.ofSeconds(2)));
        repositories.transactions().inTransaction(() -> deliveries().addDelivery(replay));
        List<ClaimedDelivery> again = claim(at(Duration.ofSeconds(2)), 10);
        assertEquals(List.of(replay.id()), again.stream().map(ClaimedDelivery::deliveryId).toList());
        assertEquals(message.id(), again.getFirst().messageId());
        assertEquals(message.body(), again.getFirst().body());
        assertEquals(Optional.of(endpoints().find(one.id()).orElseThrow()),
                repositories.transactions().inTransaction(() -> endpoints().findForUpdate(one.id())));
    }

    private static List<com.orgkeys.domain.webhook.WebhookEndpointId> ids(WebhookEndpoint... endpoints) {
        return java.util.Arrays.stream(endpoints).map(WebhookEndpoint::id).toList();
    }
}
