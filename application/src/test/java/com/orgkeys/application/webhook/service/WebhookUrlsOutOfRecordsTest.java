package com.orgkeys.application.webhook.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.CreateEndpointCommand;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase.UpdateEndpointCommand;
import com.orgkeys.application.webhook.port.out.ClaimedDelivery;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A URL's query may carry the receiver's token: the audit log and the disable mail name endpoints without it. */
class WebhookUrlsOutOfRecordsTest {
    private static final String TOKEN = "s3cr3t-t0ken";
    private final TestApplication app = new TestApplication();
    private final SignedIn alice = app.signUp("Alice");
    private final Organization acme = app.organization("Acme", alice);
    private final Caller admin = app.callerOf(alice);

    private List<String> webhookAuditDetails() {
        return app.auditLog.all(acme.id()).stream().filter(e -> e.action().startsWith("webhook"))
                .map(AuditEvent::details).toList();
    }

    @Test
    public void audit_details_name_the_endpoint_by_scheme_host_and_path_only() {
        WebhookEndpoint endpoint = app.webhooks.createEndpoint(admin, new CreateEndpointCommand(
                "https://hooks.example.com:8443/in?token=" + TOKEN, "", List.of(), null));
        assertEquals("https://hooks.example.com:8443/in?token=" + TOKEN, endpoint.url().toString(),
                "the endpoint itself keeps its URL (its managers see it)");
        app.webhooks.updateEndpoint(admin, endpoint.id(), new UpdateEndpointCommand(
                Optional.of("https://hooks.example.com/other?key=" + TOKEN + "&x=1"), Optional.empty(), Optional.empty(),
                Optional.empty()));
        app.webhooks.deleteEndpoint(admin, endpoint.id());

        List<String> details = webhookAuditDetails();
        assertEquals(3, details.size(), details.toString());
        assertTrue(details.stream().noneMatch(d -> d.contains(TOKEN) || d.contains("?")), details.toString());
        assertTrue(details.stream().anyMatch(d -> d.startsWith("url=https://hooks.example.com:8443/in ")), details.toString());
        assertTrue(details.stream().anyMatch(d -> d.contains("url=https://hooks.example.com/other")), details.toString());
    }

    @Test
    public void the_disable_mail_names_the_endpoint_without_its_query() {
        WebhookEndpoint endpoint = app.webhooks.createEndpoint(admin, new CreateEndpointCommand(
                "https://hooks.example.com/in?token=" + TOKEN, "", List.of(), null));
        app.webhookSender.status = 503;
        var delivery = new WebhookDeliveryService(app.webhookEndpoints, app.webhookDeliveries, app.webhookSender, app.tx,
                app.clock, Optional.of(new DisabledEndpointNotices(app.organizations, app.memberships,
                app.roleRepository, app.mails)));
        app.webhooks.sendTestEvent(admin, endpoint.id());
        for (ClaimedDelivery claimed : delivery.claimDue(10)) delivery.deliver(claimed);
        app.clock.advance(Duration.ofDays(5));
        app.webhooks.sendTestEvent(admin, endpoint.id());
        for (ClaimedDelivery claimed : delivery.claimDue(10)) delivery.deliver(claimed);
        assertFalse(app.webhooks.getEndpoint(admin, endpoint.id()).enabled());

        List<Map<String, String>> mails = app.outbox.all().stream().map(m -> m.payload())
                .filter(p -> "webhook_endpoint_disabled".equals(p.get("type"))).toList();
        assertEquals(1, mails.size());
        assertEquals("https://hooks.example.com/in", mails.getFirst().get("url"));
        assertTrue(mails.getFirst().values().stream().noneMatch(v -> v != null && v.contains(TOKEN)), mails.toString());
    }
}
