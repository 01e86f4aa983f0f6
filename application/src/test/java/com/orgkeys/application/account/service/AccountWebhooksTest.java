package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ManageAccountUseCase.ChangePasswordCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.application.webhook.port.out.WebhookMessage;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.webhook.WebhookEndpoint;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static com.orgkeys.application.testing.TestApplication.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * user.* and session.* events (issue 24): written with their change, to instance-level endpoints only (they are no
 * organization's), never with a password hash, a session's cookie or its hash.
 */
class AccountWebhooksTest {
    private final TestApplication app = new TestApplication();



    private static List<String> types(List<WebhookMessage> messages) {
        return messages.stream().map(WebhookMessage::type).toList();
    }

    private SignedIn signIn(SignedIn user) {
        return (SignedIn) app.accounts.signIn(new SignInCommand(user.user().email().value(), PASSWORD, "Firefox", ADDRESS));
    }

    @Test
    public void an_account_s_life_reaches_the_instance_s_endpoints_and_never_an_organization_s() {
        SignedIn alice = app.signUp("Alice");
        Organization acme = app.organization("Acme", alice);
        WebhookEndpoint acmes = app.webhookEndpoint(Optional.of(acme.id()));
        WebhookEndpoint instance = app.webhookEndpoint(Optional.empty());

        SignedIn bob = app.signUp("Bob");
        SignedIn laptop = signIn(bob);
        SignedIn phone = signIn(bob);
        app.accountSettings.changeName(app.callerOf(bob), "Robert");
        app.accounts.revokeSession(app.callerOf(bob), app.callerOf(phone).sessionId());
        app.accountSettings.changePassword(app.callerOf(bob), new ChangePasswordCommand(PASSWORD, "another long password"));
        app.accounts.signOut(app.callerOf(bob));
        app.accounts.signOut(app.callerOf(alice)); // Alice signs out of Acme's dashboard: still no organization's event

        List<WebhookMessage> toInstance = app.webhookMessagesTo(instance.id());
        assertEquals(List.of("user.created", "session.created", "user.updated", "session.created", "session.created",
                "user.updated", "session.revoked", "session.revoked", "session.ended", "session.ended"), types(toInstance));
        // sign-up: the account, then its first session; then the verification of its address (user.updated)
        WebhookMessage created = toInstance.get(0);
        assertTrue(created.body().contains("\"object\":\"user\"") && created.body().contains("\"id\":\"" + bob.user().id()
                + "\"") && created.body().contains("\"email_address\":\"bob@example.com\""), created.body());
        assertTrue(toInstance.get(5).body().contains("\"first_name\":\"Robert\""), toInstance.get(5).body());
        WebhookMessage revoked = toInstance.get(6);
        assertTrue(revoked.body().contains("\"id\":\"" + app.sessions.findByTokenHash(
                com.orgkeys.domain.shared.Secrets.sha256(phone.sessionToken())).orElseThrow().id() + "\"")
                && revoked.body().contains("\"status\":\"revoked\""), revoked.body());
        // the password change ended the laptop's session (one event), not the one that changed it
        SessionId laptops = app.sessions.findByTokenHash(com.orgkeys.domain.shared.Secrets.sha256(laptop.sessionToken()))
                .orElseThrow().id();
        assertTrue(toInstance.get(7).body().contains("\"id\":\"" + laptops + "\""), toInstance.get(7).body());
        assertTrue(toInstance.get(8).body().contains("\"user_id\":\"" + bob.user().id() + "\""));
        for (WebhookMessage message : toInstance) {
            assertEquals(Optional.empty(), message.organization());
            for (SignedIn s : List.of(alice, bob, laptop, phone)) {
                assertFalse(message.body().contains(s.sessionToken()), "never a session's cookie");
                assertFalse(message.body().contains(com.orgkeys.domain.shared.Secrets.sha256(s.sessionToken())), "nor its hash");
            }
            String hash = app.users.findById(bob.user().id()).orElseThrow().passwordHash();
            assertFalse(message.body().contains(hash) || message.body().contains(bob.user().passwordHash()),
                    "never a password hash");
        }
        assertEquals(List.of(), app.webhookMessagesTo(acmes.id()), "an organization's endpoint hears no account's events");
    }

    @Test
    public void a_refused_revocation_sends_nothing_and_a_session_that_had_timed_out_ends_without_an_event() {
        SignedIn bob = app.signUp("Bob");
        SignedIn old = signIn(bob);
        SessionId olds = app.callerOf(old).sessionId();
        app.clock.advance(Session.IDLE_TIMEOUT.plus(Duration.ofMinutes(1))); // the old session times out unused
        SignedIn current = signIn(bob);
        WebhookEndpoint instance = app.webhookEndpoint(Optional.empty());
        SignedIn mallory = app.signUp("Mallory");
        int before = app.webhookMessagesTo(instance.id()).size();

        assertThrows(NotFoundException.class, () -> app.accounts.revokeSession(app.callerOf(mallory), olds));
        assertEquals(before, app.webhookMessagesTo(instance.id()).size(), "another user's session: refused, no event");

        app.accountSettings.changePassword(app.callerOf(current), new ChangePasswordCommand(PASSWORD, "another long password"));
        assertEquals(before, app.webhookMessagesTo(instance.id()).size(), "the timed-out session was revoked without an event");
    }

    @Test
    public void without_any_endpoint_nothing_is_written() {
        app.webhookEndpoint(Optional.of(app.organization("Acme", app.signUp("Alice")).id())); // an organization's only
        int before = app.webhookDeliveries.deliveries().size();
        SignedIn bob = app.signUp("Bob");
        app.accounts.signOut(app.callerOf(signIn(bob)));

        assertEquals(before, app.webhookDeliveries.deliveries().size());
    }
}
