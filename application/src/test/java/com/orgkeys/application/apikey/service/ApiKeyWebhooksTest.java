package com.orgkeys.application.apikey.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreatedApiKey;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.EditApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.RotateApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ReportLeakedApiKeyUseCase.ReportLeakCommand;
import com.orgkeys.application.apikey.port.out.ApiKeyVerificationObserver;
import com.orgkeys.application.testing.FakeMetadataJson;
import com.orgkeys.application.testing.InMemoryWebhookDeliveryRepository;
import com.orgkeys.application.testing.InMemoryWebhookEndpointRepository;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.application.webhook.port.out.WebhookMessage;
import com.orgkeys.application.webhook.service.WebhookEventRecorder;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.webhook.EventFilter;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookUrl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API key changes become webhook events, written with the change (issue 24). */
class ApiKeyWebhooksTest {
    private final TestApplication app = new TestApplication();
    private final InMemoryWebhookEndpointRepository endpoints = new InMemoryWebhookEndpointRepository(app.store);
    private final InMemoryWebhookDeliveryRepository deliveries = new InMemoryWebhookDeliveryRepository(app.store);
    private final ApiKeyService service = new ApiKeyService(app.apiKeyRepository, app.apiKeyUsage, app.grants,
            app.verifiedEmails, app.audit, app.tx, app.clock, 0, ApiKeyVerificationObserver.NONE,
            new WebhookEventRecorder(endpoints, deliveries, FakeMetadataJson.INSTANCE, app.tx, app.clock));
    private SignedIn alice;
    private Organization acme;

    @BeforeEach
    void aliceAdministersAcmeWhichHasAnEndpoint() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
        endpoints.add(WebhookEndpoint.create(Optional.of(acme.id()), WebhookUrl.parse("https://hooks.example.com/in"),
                "", EventFilter.ALL, app.clock.instant()));
    }

    private List<String> bodies() {
        return deliveries.deliveries().stream()
                .map(d -> deliveries.findMessage(d.messageId()).map(WebhookMessage::body).orElseThrow()).toList();
    }

    @Test
    public void creating_editing_disabling_and_revoking_a_key_each_send_an_event_without_the_secret() {
        CreatedApiKey key = service.createApiKey(app.callerOf(alice),
                new CreateApiKeyCommand("Deploy", "", Optional.of(List.of("org:agents:read")), Optional.empty()));
        service.editApiKey(app.callerOf(alice), key.key().id(),
                new EditApiKeyCommand(Optional.of("Renamed"), Optional.empty(), Optional.empty()));
        service.disableApiKey(app.callerOf(alice), key.key().id());
        service.revokeApiKey(app.callerOf(alice), key.key().id(), Optional.of("leaked"));
        service.revokeApiKey(app.callerOf(alice), key.key().id(), Optional.of("again")); // already revoked: no event

        List<String> bodies = bodies();
        assertEquals(4, bodies.size());
        assertTrue(bodies.get(0).contains("\"type\":\"apiKey.created\""), bodies.get(0));
        assertTrue(bodies.get(0).contains("\"id\":\"" + key.key().id() + "\""), bodies.get(0));
        assertTrue(bodies.get(0).contains("\"scopes\":[\"org:agents:read\"]"), bodies.get(0));
        assertTrue(bodies.get(1).contains("\"type\":\"apiKey.updated\"") && bodies.get(1).contains("\"name\":\"Renamed\""));
        assertTrue(bodies.get(2).contains("\"type\":\"apiKey.updated\"") && bodies.get(2).contains("\"disabled\":true"));
        assertTrue(bodies.get(3).contains("\"type\":\"apiKey.revoked\"")
                && bodies.get(3).contains("\"revocation_reason\":\"leaked\""), bodies.get(3));
        bodies.forEach(body -> assertFalse(body.contains(key.secret()), "never the secret"));
        bodies.forEach(body -> assertFalse(body.contains(key.key().secretHash()), "nor its hash"));
    }

    @Test
    public void rotating_a_key_sends_apiKey_updated_without_either_secret() {
        CreatedApiKey key = service.createApiKey(app.callerOf(alice),
                new CreateApiKeyCommand("Deploy", "", Optional.of(List.of("org:agents:read")), Optional.empty()));
        CreatedApiKey rotated = service.rotateApiKey(app.callerOf(alice), key.key().id(),
                new RotateApiKeyCommand(Optional.empty()));

        List<String> bodies = bodies();
        assertEquals(2, bodies.size());
        assertTrue(bodies.get(1).contains("\"type\":\"apiKey.updated\"") && bodies.get(1).contains("\"id\":\""
                + key.key().id() + "\""), bodies.get(1));
        assertFalse(bodies.get(1).contains(key.secret()) || bodies.get(1).contains(rotated.secret()));
    }

    @Test
    public void a_key_revoked_by_a_leak_report_sends_apiKey_revoked_once() {
        var reports = new LeakReportService(app.apiKeyRepository, app.organizations, app.memberships,
                app.roleRepository, app.throttle, app.mails, app.audit, app.tx, app.clock, service,
                new WebhookEventRecorder(endpoints, deliveries, FakeMetadataJson.INSTANCE, app.tx, app.clock));
        CreatedApiKey key = service.createApiKey(app.callerOf(alice),
                new CreateApiKeyCommand("Deploy", "", Optional.of(List.of("org:agents:read")), Optional.empty()));

        reports.reportLeak(new ReportLeakCommand(key.secret(), null, TestApplication.ADDRESS));
        reports.reportLeak(new ReportLeakCommand(key.secret(), null, TestApplication.ADDRESS)); // revoked already

        List<String> bodies = bodies();
        assertEquals(2, bodies.size());
        assertTrue(bodies.get(1).contains("\"type\":\"apiKey.revoked\"")
                && bodies.get(1).contains("\"revocation_reason\":\"leaked\""), bodies.get(1));
        assertFalse(bodies.get(1).contains(key.secret()));
    }

    @Test
    public void a_member_s_own_keys_revoked_because_they_left_each_send_apiKey_revoked_with_the_reason() {
        SignedIn bob = app.member(acme, "Bob", com.orgkeys.domain.membership.RoleKey.ADMIN);
        CreatedApiKey laptop = app.apiKeys.createApiKey(app.callerOf(bob), new CreateApiKeyCommand("Laptop", "",
                Optional.of(List.of("org:agents:read")), Optional.empty(), Optional.empty(), Optional.of("user")));
        CreatedApiKey ci = app.apiKeys.createApiKey(app.callerOf(bob), new CreateApiKeyCommand("CI", "",
                Optional.of(List.of("org:agents:read")), Optional.empty(), Optional.empty(), Optional.of("user")));
        CreatedApiKey organizations = service.createApiKey(app.callerOf(bob),
                new CreateApiKeyCommand("Shared", "", Optional.of(List.of("org:agents:read")), Optional.empty()));

        app.membershipService.removeMember(app.callerOf(alice), bob.user().id());

        List<String> revoked = bodies().stream().filter(b -> b.contains("\"type\":\"apiKey.revoked\"")).toList();
        assertEquals(2, revoked.size(), revoked.toString());
        for (CreatedApiKey key : List.of(laptop, ci)) {
            assertTrue(revoked.stream().anyMatch(b -> b.contains("\"id\":\"" + key.key().id() + "\"")
                    && b.contains("\"revocation_reason\":\"owner_left\"") && b.contains("\"revoked\":true")), revoked.toString());
            revoked.forEach(b -> assertFalse(b.contains(key.secret())));
        }
        assertFalse(revoked.stream().anyMatch(b -> b.contains(organizations.key().id().toString())),
                "the organization's key keeps working");
    }

    @Test
    public void a_removal_that_fails_sends_no_apiKey_revoked() {
        app.apiKeys.createApiKey(app.callerOf(alice), new CreateApiKeyCommand("Laptop", "",
                Optional.of(List.of("org:agents:read")), Optional.empty(), Optional.empty(), Optional.of("user")));
        int before = deliveries.deliveries().size();

        assertThrows(com.orgkeys.domain.shared.ConflictException.class,
                () -> app.membershipService.removeMember(app.callerOf(alice), alice.user().id())); // the last admin

        assertEquals(before, deliveries.deliveries().size());
    }

    @Test
    public void a_refused_change_sends_no_event() {
        SignedIn bob = app.signUp("Bob");
        Object before = app.contents();

        assertThrows(ForbiddenException.class, () -> service.createApiKey(app.callerOf(bob),
                new CreateApiKeyCommand("Deploy", "", Optional.empty(), Optional.empty())));

        assertEquals(before, app.contents());
        assertEquals(List.of(), deliveries.deliveries());
    }
}
