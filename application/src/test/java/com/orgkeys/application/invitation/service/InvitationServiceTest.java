package com.orgkeys.application.invitation.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.CreateInvitationCommand;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.CreatedInvitation;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.InvitationPreview;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.InvitationState;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.UpdateRoleCommand;
import com.orgkeys.application.mail.port.out.InvitationMail;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.EmailNotVerifiedException;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvitationServiceTest {
    private final TestApplication app = new TestApplication();
    private SignedIn alice;
    private Organization acme;

    @BeforeEach
    void aliceAdministersAcme() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
    }

    @Test
    public void the_invited_user_receives_the_accept_link_by_mail_and_joins_with_the_role() {
        CreatedInvitation created = invite("bob@example.com", "org:admin");

        assertEquals(List.of(), app.mailer.invitations(), "sent later, by the outbox worker");
        app.deliverMail();
        assertEquals(List.of(new InvitationMail(new Email("bob@example.com"), "Acme", "Alice", "Admin",
                created.acceptUrl(), created.invitation().expiresAt())), app.mailer.invitations());
        assertTrue(created.acceptUrl().startsWith(TestApplication.ORIGIN + "/invitations/accept?token="),
                created.acceptUrl());

        SignedIn bob = app.signUp("Bob");
        Membership membership = app.invitationService.acceptInvitation(app.callerOf(bob), mailedToken());

        assertEquals(new Membership(acme.id(), bob.user().id(), RoleKey.ADMIN, app.clock.instant()), membership);
        assertEquals(Optional.of(acme.id()), app.callerOf(bob).organizationId());
        assertEquals(new UserActor(bob.user().id()), app.auditEvent(acme, "invitation.accepted").actor());
    }

    @Test
    public void the_invited_user_joins_only_once_their_email_is_verified() {
        invite("bob@example.com", "org:member");
        String token = mailedToken();
        SignedIn bob = app.signUpUnverified("Bob");
        Object before = app.contents();

        var refused = assertThrows(EmailNotVerifiedException.class,
                () -> app.invitationService.acceptInvitation(app.callerOf(bob), token));

        assertTrue(refused.getMessage().contains("bob@example.com"), refused.getMessage());
        assertEquals(before, app.contents(), "no membership, the invitation still pending");
        app.verifyEmail(bob);
        app.invitationService.acceptInvitation(app.callerOf(bob), token);
        assertTrue(app.memberships.find(acme.id(), bob.user().id()).isPresent());
    }

    @Test
    public void an_invalid_link_is_refused_as_unverified_first_so_it_tells_nothing_about_the_token() {
        SignedIn bob = app.signUpUnverified("Bob");

        assertThrows(EmailNotVerifiedException.class,
                () -> app.invitationService.acceptInvitation(app.callerOf(bob), "no-such-token"));
    }

    @Test
    public void someone_signed_in_with_another_email_cannot_accept() {
        invite("bob@example.com", "org:member");
        SignedIn mallory = app.signUp("Mallory");

        assertThrows(ForbiddenException.class, () -> app.invitationService.acceptInvitation(app.callerOf(mallory),
                mailedToken()));

        assertEquals(Optional.empty(), app.memberships.find(acme.id(), mallory.user().id()));
        SignedIn bob = app.signUp("Bob");
        app.invitationService.acceptInvitation(app.callerOf(bob), mailedToken()); // still valid for Bob
    }

    @Test
    public void an_invitation_can_be_accepted_only_once() {
        invite("bob@example.com", "org:member");
        SignedIn bob = app.signUp("Bob");
        app.invitationService.acceptInvitation(app.callerOf(bob), mailedToken());
        app.membershipService.removeMember(app.callerOf(bob), bob.user().id());

        assertThrows(ConflictException.class, () -> app.invitationService.acceptInvitation(app.callerOf(bob),
                mailedToken()));

        assertEquals(Optional.empty(), app.memberships.find(acme.id(), bob.user().id()));
    }

    @Test
    public void an_expired_invitation_cannot_be_accepted() {
        invite("bob@example.com", "org:member");
        SignedIn bob = app.signUp("Bob");
        app.clock.advance(Invitation.VALIDITY.minus(Duration.ofHours(1)));
        app.callerOf(bob); // keeps the session alive
        app.clock.advance(Duration.ofHours(1));
        UserCaller bobNow = app.callerOf(bob);

        assertThrows(ConflictException.class, () -> app.invitationService.acceptInvitation(bobNow, mailedToken()));

        assertEquals(Optional.empty(), app.memberships.find(acme.id(), bob.user().id()));
    }

    @Test
    public void an_invitation_is_still_good_just_before_it_expires() {
        invite("bob@example.com", "org:member");
        SignedIn bob = app.signUp("Bob");
        app.clock.advance(Invitation.VALIDITY.minus(Duration.ofSeconds(1)));

        app.invitationService.acceptInvitation(app.callerOf(bob), mailedToken());

        assertTrue(app.memberships.find(acme.id(), bob.user().id()).isPresent());
    }

    @Test
    public void only_an_admin_can_invite_at_the_admin_role_and_nobody_at_a_role_beyond_their_own() {
        app.role(acme, "org:people", Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE));
        UserCaller mallory = app.callerOf(app.member(acme, "Mallory", new RoleKey("org:people")));

        var admin = assertThrows(ForbiddenException.class, () -> app.invitationService.createInvitation(mallory,
                new CreateInvitationCommand("bob@example.com", "org:admin")));
        var member = assertThrows(ForbiddenException.class, () -> app.invitationService.createInvitation(mallory,
                new CreateInvitationCommand("bob@example.com", "org:member")));

        assertEquals("Only an admin can give the role org:admin.", admin.getMessage());
        assertTrue(member.getMessage().contains("org:agents:read, org:agents:manage"), member.getMessage());
        assertEquals(List.of(), app.invitations.listPending(acme.id(), app.clock.instant()));
        assertEquals(List.of(), app.outbox.all().stream().filter(m -> "invitation".equals(m.payload().get("type"))).toList(),
                "no mail for an invitation that was not made");
        app.invitationService.createInvitation(mallory, new CreateInvitationCommand("bob@example.com", "org:people"));
    }

    @Test
    public void an_invitation_whose_role_was_widened_beyond_what_its_inviter_holds_cannot_be_accepted() {
        app.role(acme, "org:people", Set.of(Permission.MEMBERSHIPS_READ, Permission.MEMBERSHIPS_MANAGE));
        app.role(acme, "org:readers", Set.of(Permission.MEMBERSHIPS_READ));
        UserCaller mallory = app.callerOf(app.member(acme, "Mallory", new RoleKey("org:people")));
        app.invitationService.createInvitation(mallory, new CreateInvitationCommand("bob@example.com", "org:readers"));
        app.roleService.updateRole(app.callerOf(alice), "org:readers", new UpdateRoleCommand(Optional.empty(),
                Optional.of(List.of("org:sys_memberships:read", "org:sys_profile:delete"))));
        SignedIn bob = app.signUp("Bob");

        var e = assertThrows(ConflictException.class, () -> app.invitationService.acceptInvitation(app.callerOf(bob),
                mailedToken()));

        assertEquals("The person who invited you can no longer give the role org:readers; ask for a new invitation.",
                e.getMessage());
        assertEquals(Optional.empty(), app.memberships.find(acme.id(), bob.user().id()));
        assertEquals(1, app.invitations.listPending(acme.id(), app.clock.instant()).size()); // not used up
    }

    @Test
    public void an_invitation_from_someone_no_longer_allowed_to_invite_cannot_be_accepted() {
        SignedIn carol = app.member(acme, "Carol", RoleKey.ADMIN);
        app.invitationService.createInvitation(app.callerOf(carol), new CreateInvitationCommand("bob@example.com", "org:member"));
        app.membershipService.changeRole(app.callerOf(alice), carol.user().id(), "org:member");
        SignedIn bob = app.signUp("Bob");

        assertThrows(ConflictException.class, () -> app.invitationService.acceptInvitation(app.callerOf(bob), mailedToken()));

        assertEquals(Optional.empty(), app.memberships.find(acme.id(), bob.user().id()));
    }

    @Test
    public void an_invitation_gives_its_role_as_it_is_when_accepted_while_its_inviter_can_give_that() {
        app.role(acme, "org:readers", Set.of(Permission.MEMBERSHIPS_READ));
        invite("bob@example.com", "org:readers");
        app.roleService.updateRole(app.callerOf(alice), "org:readers", new UpdateRoleCommand(Optional.empty(),
                Optional.of(List.of("org:sys_memberships:read", "org:agents:read"))));
        SignedIn bob = app.signUp("Bob");

        app.invitationService.acceptInvitation(app.callerOf(bob), mailedToken());

        assertEquals(Set.of(Permission.MEMBERSHIPS_READ, Permission.AGENTS_READ), app.callerOf(bob).permissions());
    }

    @Test
    public void the_link_shows_its_holder_the_organization_the_inviter_and_the_role_name() {
        CreatedInvitation created = invite("bob@example.com", "org:admin");

        InvitationPreview preview = app.invitationService.previewInvitation(mailedToken());

        assertEquals(new InvitationPreview(InvitationState.PENDING, "Acme", "Alice", "Admin",
                new Email("bob@example.com"), created.invitation().expiresAt()), preview);
        assertThrows(NotFoundException.class, () -> app.invitationService.previewInvitation("no-such-token"));
        assertThrows(NotFoundException.class, () -> app.invitationService.previewInvitation("x".repeat(10_000)));
    }

    @Test
    public void a_used_link_shows_only_that_it_was_used() {
        invite("bob@example.com", "org:member");
        app.invitationService.acceptInvitation(app.callerOf(app.signUp("Bob")), mailedToken());

        InvitationPreview preview = app.invitationService.previewInvitation(mailedToken());

        assertEquals(InvitationState.ACCEPTED, preview.state());
        assertNull(preview.organizationName());
        assertNull(preview.email());
    }

    @Test
    public void the_invited_user_declines_and_the_link_stops_working_while_another_address_cannot_decline() {
        invite("bob@example.com", "org:member");
        String token = mailedToken();
        SignedIn mallory = app.signUp("Mallory");
        assertThrows(ForbiddenException.class, () -> app.invitationService.declineInvitation(app.callerOf(mallory), token));
        assertEquals(InvitationState.PENDING, app.invitationService.previewInvitation(token).state());

        SignedIn bob = app.signUp("Bob");
        app.invitationService.declineInvitation(app.callerOf(bob), token);

        assertEquals(InvitationState.REVOKED, app.invitationService.previewInvitation(token).state());
        assertEquals(List.of(), app.invitationService.listPendingInvitations(app.callerOf(alice)));
        assertEquals(new UserActor(bob.user().id()), app.auditEvent(acme, "invitation.declined").actor());
        assertThrows(ConflictException.class, () -> app.invitationService.acceptInvitation(app.callerOf(bob), token));
    }

    private CreatedInvitation invite(String email, String role) {
        return app.invitationService.createInvitation(app.callerOf(alice), new CreateInvitationCommand(email, role));
    }

    /** The token as the invited user gets it: from the link in the last mail. */
    private String mailedToken() {
        app.deliverMail();
        String query = URI.create(app.mailer.invitations().getLast().acceptUrl()).getRawQuery();
        return URLDecoder.decode(query.substring("token=".length()), StandardCharsets.UTF_8);
    }
}
