package com.orgkeys.application.webhook.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.CreateEndpointCommand;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.EndpointSecrets;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.UpdateEndpointCommand;
import com.orgkeys.application.webhook.port.out.ClaimedDelivery;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.SecretKeyCaller;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.secretkey.SecretKeyId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.webhook.WebhookAttempt;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Managing webhook endpoints (issue 24): who may, what is refused, and that nothing crosses organizations. */
class WebhookServiceTest {
    private final TestApplication app = new TestApplication();
    private final WebhookService webhooks = app.webhooks;
    private SignedIn alice;
    private Organization acme;
    private Caller admin;
    private final Caller backend = new SecretKeyCaller(SecretKeyId.random(), Optional.empty(), "203.0.113.9");

    @BeforeEach
    void aliceAdministersAcme() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
        admin = app.callerOf(alice);
    }

    private WebhookEndpoint create(Caller caller, String url) {
        return webhooks.createEndpoint(caller, new CreateEndpointCommand(url, "receiver", List.of("apiKey.created"), null));
    }

    private static UpdateEndpointCommand url(String url) {
        return new UpdateEndpointCommand(Optional.of(url), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    public void an_admin_creates_lists_edits_and_deletes_an_endpoint_each_audited() {
        WebhookEndpoint created = create(admin, "https://hooks.example.com/in");
        assertEquals(Optional.of(acme.id()), created.organization());
        assertEquals(List.of(created), webhooks.listEndpoints(admin));

        WebhookEndpoint edited = webhooks.updateEndpoint(admin, created.id(), new UpdateEndpointCommand(Optional.empty(),
                Optional.of("renamed"), Optional.of(List.of()), Optional.of(false)));
        assertEquals("renamed", edited.description());
        assertFalse(edited.enabled());
        assertTrue(edited.filter().types().isEmpty());
        assertEquals(created.secret(), edited.secret(), "an edit keeps the secret");

        webhooks.deleteEndpoint(admin, created.id());
        assertEquals(List.of(), webhooks.listEndpoints(admin));
        assertEquals(java.util.Set.of("webhook_endpoint.created", "webhook_endpoint.updated", "webhook_endpoint.deleted"),
                app.auditLog.all(acme.id()).stream().map(e -> e.action()).filter(a -> a.startsWith("webhook"))
                        .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    public void a_member_without_the_permission_is_refused_and_nothing_changes() {
        WebhookEndpoint endpoint = create(admin, "https://hooks.example.com/in");
        Caller member = app.callerOf(app.member(acme, "Bob", RoleKey.MEMBER));
        Object before = app.contents();
        List<Consumer<Caller>> calls = List.of(
                c -> webhooks.listEndpoints(c), c -> webhooks.getEndpoint(c, endpoint.id()),
                c -> create(c, "https://hooks.example.com/2"), c -> webhooks.updateEndpoint(c, endpoint.id(), url("https://x.example.com")),
                c -> webhooks.deleteEndpoint(c, endpoint.id()), c -> webhooks.sendTestEvent(c, endpoint.id()),
                c -> webhooks.listAttempts(c, endpoint.id(), PageRequest.first(10)),
                c -> webhooks.revealSecret(c, endpoint.id()), c -> webhooks.rotateSecret(c, endpoint.id()));
        for (Consumer<Caller> call : calls) assertThrows(ForbiddenException.class, () -> call.accept(member));
        assertEquals(before, app.contents());
    }

    @Test
    public void another_organization_s_admin_finds_none_of_acme_s_endpoints_nor_its_messages() {
        WebhookEndpoint acmes = create(admin, "https://hooks.example.com/in");
        String acmeMessage = webhooks.sendTestEvent(admin, acmes.id());
        SignedIn gina = app.signUp("Gina");
        app.organization("Globex", gina);
        Caller globex = app.callerOf(gina);
        WebhookEndpoint globexes = create(globex, "https://globex.example.com/in");
        Object before = app.contents();

        assertEquals(List.of(globexes), webhooks.listEndpoints(globex));
        List<Consumer<Caller>> calls = List.of(c -> webhooks.getEndpoint(c, acmes.id()),
                c -> webhooks.updateEndpoint(c, acmes.id(), url("https://x.example.com")),
                c -> webhooks.deleteEndpoint(c, acmes.id()), c -> webhooks.sendTestEvent(c, acmes.id()),
                c -> webhooks.listAttempts(c, acmes.id(), PageRequest.first(10)),
                c -> webhooks.replayMessage(c, acmes.id(), acmeMessage),
                c -> webhooks.revealSecret(c, acmes.id()), c -> webhooks.rotateSecret(c, acmes.id()),
                // Acme's message through Globex's own endpoint: it was never sent there
                c -> webhooks.replayMessage(c, globexes.id(), acmeMessage),
                c -> webhooks.replayMessage(c, globexes.id(), "msg_nosuchmessage"));
        for (Consumer<Caller> call : calls) assertThrows(NotFoundException.class, () -> call.accept(globex));
        assertEquals(before, app.contents());
    }

    @Test
    public void urls_that_deliveries_would_refuse_are_refused_when_set_and_nothing_changes() {
        WebhookEndpoint endpoint = create(admin, "https://hooks.example.com/in");
        Object before = app.contents();
        for (String url : List.of("http://hooks.example.com/in", "https://127.0.0.1/", "https://[::1]/",
                "https://169.254.169.254/latest/meta-data", "https://internal.example.com/", "https://localhost/",
                "ftp://hooks.example.com/", "https://user:pw@hooks.example.com/", "https://hooks.example.com/#x",
                "https://hooks.example.com/\u0000", "https://" + "a".repeat(3000) + ".com/", "", "not a url")) {
            assertThrows(InvalidInputException.class, () -> create(admin, url), url);
            assertThrows(InvalidInputException.class, () -> webhooks.updateEndpoint(admin, endpoint.id(), url(url)), url);
        }
        assertThrows(InvalidInputException.class, () -> webhooks.createEndpoint(admin, new CreateEndpointCommand(
                "https://hooks.example.com/in", "", List.of("apiKey.nosuch"), null)));
        assertThrows(InvalidInputException.class, () -> webhooks.createEndpoint(admin, new CreateEndpointCommand(
                "https://hooks.example.com/in", "x".repeat(501), null, null)));
        assertThrows(InvalidInputException.class, () -> webhooks.createEndpoint(admin, new CreateEndpointCommand(
                "https://hooks.example.com/in", "", java.util.Collections.nCopies(10_000, "apiKey.created"), null)));
        assertEquals(before, app.contents());
    }

    @Test
    public void an_organization_has_at_most_twenty_endpoints() {
        for (int i = 0; i < 20; i++) create(admin, "https://hooks.example.com/" + i);
        assertThrows(ConflictException.class, () -> create(admin, "https://hooks.example.com/21"));
    }

    @Test
    public void rotating_keeps_the_old_secret_signing_for_a_day_and_revealing_is_audited() {
        WebhookEndpoint endpoint = create(admin, "https://hooks.example.com/in");
        EndpointSecrets rotated = webhooks.rotateSecret(admin, endpoint.id());
        assertNotEquals(endpoint.secret(), rotated.secret());
        assertEquals(Optional.of(endpoint.secret()), rotated.previousSecret());
        assertEquals(Optional.of(app.clock.instant().plus(Duration.ofHours(24))), rotated.previousSecretExpiresAt());
        assertEquals(rotated, webhooks.revealSecret(admin, endpoint.id()));

        app.clock.advance(Duration.ofHours(24));
        EndpointSecrets later = webhooks.revealSecret(admin, endpoint.id());
        assertEquals(rotated.secret(), later.secret());
        assertEquals(Optional.empty(), later.previousSecret());
        assertEquals(2, app.auditLog.all(acme.id()).stream()
                .filter(e -> e.action().equals("webhook_endpoint.secret_revealed")).count());
    }

    @Test
    public void a_test_event_goes_to_the_one_endpoint_and_a_replay_sends_the_same_message_again() {
        WebhookEndpoint endpoint = create(admin, "https://hooks.example.com/in");
        create(admin, "https://other.example.com/in");
        String message = webhooks.sendTestEvent(admin, endpoint.id());
        var delivery = new WebhookDeliveryService(app.webhookEndpoints, app.webhookDeliveries, app.webhookSender, app.tx,
                app.clock);
        for (ClaimedDelivery claimed : delivery.claimDue(10)) delivery.deliver(claimed);
        assertEquals(1, app.webhookSender.sent.size());
        assertEquals(message, app.webhookSender.sent.getFirst().headers().get("webhook-id"));

        app.clock.advance(Duration.ofSeconds(1));
        assertEquals(message, webhooks.replayMessage(admin, endpoint.id(), message));
        for (ClaimedDelivery claimed : delivery.claimDue(10)) delivery.deliver(claimed);
        assertEquals(2, app.webhookSender.sent.size());
        assertEquals(message, app.webhookSender.sent.get(1).headers().get("webhook-id"));

        List<WebhookAttempt> attempts = webhooks.listAttempts(admin, endpoint.id(), PageRequest.first(1)).data();
        assertEquals(1, attempts.size());
        assertEquals(app.clock.instant(), attempts.getFirst().attemptedAt(), "newest first");
        var next = webhooks.listAttempts(admin, endpoint.id(),
                PageRequest.at(webhooks.listAttempts(admin, endpoint.id(), PageRequest.first(1)).nextCursor().orElseThrow(), 1));
        assertEquals(1, next.data().size());
        assertTrue(next.data().getFirst().attemptedAt().isBefore(app.clock.instant()));
    }

    @Test
    public void a_disabled_endpoint_gets_no_test_event_and_enabling_it_clears_its_failures() {
        WebhookEndpoint endpoint = create(admin, "https://hooks.example.com/in");
        app.webhookEndpoints.markFailing(endpoint.id(), app.clock.instant());
        webhooks.updateEndpoint(admin, endpoint.id(), new UpdateEndpointCommand(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(false)));
        assertThrows(ConflictException.class, () -> webhooks.sendTestEvent(admin, endpoint.id()));
        WebhookEndpoint enabled = webhooks.updateEndpoint(admin, endpoint.id(), new UpdateEndpointCommand(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(true)));
        assertEquals(Optional.empty(), enabled.failingSince());
    }

    @Test
    public void a_secret_key_manages_the_instance_level_endpoints_which_no_organization_sees() {
        WebhookEndpoint instance = create(backend, "https://ops.example.com/all");
        WebhookEndpoint acmes = create(admin, "https://hooks.example.com/in");
        assertEquals(Optional.empty(), instance.organization());
        assertEquals(List.of(instance), webhooks.listEndpoints(backend));
        assertEquals(List.of(acmes), webhooks.listEndpoints(admin));
        assertThrows(NotFoundException.class, () -> webhooks.getEndpoint(admin, instance.id()));
        assertThrows(NotFoundException.class, () -> webhooks.revealSecret(admin, instance.id()));
        assertThrows(NotFoundException.class, () -> webhooks.getEndpoint(backend, acmes.id()));
        // bound to Acme (as the backend API does for organization routes), the key manages Acme's
        assertEquals(List.of(acmes), webhooks.listEndpoints(((SecretKeyCaller) backend).in(acme.id())));
        assertThrows(NotFoundException.class, () -> webhooks.getEndpoint(backend, new WebhookEndpointId(UUID.randomUUID())));
    }

    @Test
    public void an_endpoint_failing_for_five_days_is_disabled_and_its_managers_are_mailed_once() {
        WebhookEndpoint endpoint = create(admin, "https://hooks.example.com/in");
        SignedIn bob = app.member(acme, "Bob", RoleKey.MEMBER); // no org:sys_webhooks:manage: not told
        app.webhookSender.status = 503;
        var delivery = new WebhookDeliveryService(app.webhookEndpoints, app.webhookDeliveries, app.webhookSender, app.tx,
                app.clock, Optional.of(new DisabledEndpointNotices(app.organizations, app.memberships,
                app.roleRepository, app.mails)));
        webhooks.sendTestEvent(admin, endpoint.id());
        for (ClaimedDelivery claimed : delivery.claimDue(10)) assertFalse(delivery.deliver(claimed).endpointDisabled());

        app.clock.advance(Duration.ofDays(5));
        webhooks.sendTestEvent(admin, endpoint.id());
        List<Boolean> disabled = delivery.claimDue(10).stream().map(c -> delivery.deliver(c).endpointDisabled()).toList();
        assertEquals(1, disabled.stream().filter(d -> d).count(), disabled.toString());
        assertFalse(webhooks.getEndpoint(admin, endpoint.id()).enabled());

        List<java.util.Map<String, String>> mails = app.outbox.all().stream().map(m -> m.payload())
                .filter(p -> "webhook_endpoint_disabled".equals(p.get("type"))).toList();
        assertEquals(List.of(alice.user().email().value()), mails.stream().map(p -> p.get("to")).toList());
        assertEquals(endpoint.id().toString(), mails.getFirst().get("endpointId"));
        assertEquals("Acme", mails.getFirst().get("organizationName"));
    }
}
