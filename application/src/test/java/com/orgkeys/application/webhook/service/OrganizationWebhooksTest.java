package com.orgkeys.application.webhook.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase.UpdateOrganizationCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.application.webhook.port.out.WebhookMessage;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * organization.* and organizationMembership.* events (issue 24): written with their change, to the organization's
 * endpoints and the instance's, never to another organization's.
 */
class OrganizationWebhooksTest {
    private final TestApplication app = new TestApplication();
    private final WebhookEndpoint instance = app.webhookEndpoint(Optional.empty());



    private static List<String> types(List<WebhookMessage> messages) {
        return messages.stream().map(WebhookMessage::type).toList();
    }

    @Test
    public void an_organization_s_life_reaches_its_endpoints_and_the_instance_s_but_no_other_organization_s() {
        SignedIn alice = app.signUp("Alice");
        Organization acme = app.organization("Acme", alice);
        WebhookEndpoint acmes = app.webhookEndpoint(Optional.of(acme.id()));
        SignedIn gina = app.signUp("Gina");
        Organization globex = app.organization("Globex", gina);
        WebhookEndpoint globexes = app.webhookEndpoint(Optional.of(globex.id()));

        app.organizationService.updateOrganization(app.callerOf(alice),
                new UpdateOrganizationCommand(Optional.of("Acme Corp"), Optional.empty()));
        SignedIn bob = app.member(acme, "Bob", RoleKey.MEMBER); // inserted directly: no event
        app.membershipService.changeRole(app.callerOf(alice), bob.user().id(), "org:admin");
        app.membershipService.changeRole(app.callerOf(alice), bob.user().id(), "org:admin"); // no change: no event
        app.membershipService.removeMember(app.callerOf(alice), bob.user().id());
        SignedIn dora = app.signUp("Dora");
        app.membershipService.addMember(app.callerOf(alice), dora.user().id(), "org:member");

        List<WebhookMessage> toAcme = app.webhookMessagesTo(acmes.id());
        assertEquals(List.of("organization.updated", "organizationMembership.updated", "organizationMembership.deleted",
                "organizationMembership.created"), types(toAcme));
        assertTrue(toAcme.getFirst().body().contains("\"name\":\"Acme Corp\""), toAcme.getFirst().body());
        assertTrue(toAcme.get(1).body().contains("\"role\":\"org:admin\"") && toAcme.get(1).body().contains(
                "\"id\":\"" + acme.id() + "_" + bob.user().id() + "\""), toAcme.get(1).body());
        assertTrue(toAcme.get(3).body().contains("\"identifier\":\"" + dora.user().email().value() + "\""));
        // Globex hears only of itself: its creation came before its endpoint
        assertEquals(List.of(), types(app.webhookMessagesTo(globexes.id())));
        assertFalse(app.webhookMessagesTo(globexes.id()).stream().anyMatch(m -> m.body().contains(acme.id().toString())));
        // the instance hears of both organizations' creation and of everything in Acme
        List<String> toInstance = types(app.webhookMessagesTo(instance.id())).stream()
                .filter(t -> !t.startsWith("user.") && !t.startsWith("session.")).toList(); // the accounts' own
        assertEquals(List.of("organization.created", "organizationMembership.created", "organization.created",
                "organizationMembership.created", "organization.updated", "organizationMembership.updated",
                "organizationMembership.deleted", "organizationMembership.created"), toInstance);
    }

    @Test
    public void a_deleted_organization_is_told_to_the_instance_only_and_a_refused_change_sends_nothing() {
        SignedIn alice = app.signUp("Alice");
        Organization acme = app.organization("Acme", alice);
        app.webhookEndpoint(Optional.of(acme.id()));
        Object before = app.contents();
        assertThrows(ConflictException.class, () -> app.membershipService.removeMember(app.callerOf(alice),
                alice.user().id())); // the last admin
        assertEquals(before, app.contents());

        app.organizationService.deleteOrganization(app.callerOf(alice));
        List<WebhookMessage> toInstance = app.webhookMessagesTo(instance.id());
        assertEquals("organization.deleted", toInstance.getLast().type());
        assertEquals(Optional.empty(), toInstance.getLast().organization());
        assertTrue(toInstance.getLast().body().contains("\"deleted\":true"));
    }

    @Test
    public void the_private_metadata_never_leaves_in_an_event() {
        SignedIn alice = app.signUp("Alice");
        Organization acme = app.organization("Acme", alice);
        app.organizations.updateMetadata(acme.id(), new com.orgkeys.domain.organization.OrganizationMetadata(
                com.orgkeys.domain.metadata.Metadata.EMPTY, new com.orgkeys.domain.metadata.Metadata(
                java.util.Map.of("plan", "secret-plan"), "{\"plan\":\"secret-plan\"}")));
        app.organizationService.updateOrganization(app.callerOf(alice),
                new UpdateOrganizationCommand(Optional.of("Acme Corp"), Optional.empty()));
        List<WebhookMessage> toInstance = app.webhookMessagesTo(instance.id());
        assertEquals("organization.updated", toInstance.getLast().type());
        assertFalse(toInstance.getLast().body().contains("secret-plan"), toInstance.getLast().body());
    }

    @Test
    public void an_invitation_created_accepted_or_revoked_sends_its_event_without_its_token() {
        SignedIn alice = app.signUp("Alice");
        Organization acme = app.organization("Acme", alice);
        WebhookEndpoint acmes = app.webhookEndpoint(Optional.of(acme.id()));
        var ivy = app.invitationService.createInvitation(app.callerOf(alice),
                new com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.CreateInvitationCommand(
                        "ivy@example.com", "org:member"));
        var zoe = app.invitationService.createInvitation(app.callerOf(alice),
                new com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.CreateInvitationCommand(
                        "zoe@example.com", "org:member"));
        app.invitationService.revokeInvitation(app.callerOf(alice), zoe.invitation().id());
        SignedIn ivyUser = app.signUp("Ivy");
        String token = java.net.URLDecoder.decode(ivy.acceptUrl().substring(ivy.acceptUrl().indexOf("token=") + 6),
                java.nio.charset.StandardCharsets.UTF_8);
        app.invitationService.acceptInvitation(app.callerOf(ivyUser), token);

        List<WebhookMessage> toAcme = app.webhookMessagesTo(acmes.id());
        assertEquals(List.of("organizationInvitation.created", "organizationInvitation.created",
                "organizationInvitation.revoked", "organizationInvitation.accepted", "organizationMembership.created"),
                types(toAcme));
        assertTrue(toAcme.get(2).body().contains("\"status\":\"revoked\""));
        assertTrue(toAcme.get(3).body().contains("\"status\":\"accepted\""));
        toAcme.forEach(m -> assertFalse(m.body().contains(token), "never the token"));
    }
}
