package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ChangeEmailUseCase.RequestEmailChangeCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.port.in.ResetPasswordUseCase;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.CreateInvitationCommand;
import com.orgkeys.application.mail.port.out.EmailChangeMail;
import com.orgkeys.application.mail.port.out.EmailChangedMail;
import com.orgkeys.application.mail.port.out.InvitationMail;
import com.orgkeys.application.mail.port.out.PasswordResetMail;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static com.orgkeys.application.testing.TestApplication.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmailChangeServiceTest {
    private static final Email NEW = new Email("ada@example.org");
    private final TestApplication app = new TestApplication();

    private <M> List<M> sent(Class<M> type) {
        app.deliverMail();
        return app.mailer.sent().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The token of the last change mail, as its reader gets it from the link. */
    private String mailedToken() {
        String query = URI.create(sent(EmailChangeMail.class).getLast().confirmUrl()).getRawQuery();
        return URLDecoder.decode(query.substring("token=".length()), StandardCharsets.UTF_8);
    }

    private void request(SignedIn user, String newEmail) {
        app.emailChange.requestEmailChange(app.callerOf(user), new RequestEmailChangeCommand(newEmail, PASSWORD));
    }

    private User user(SignedIn user) {
        return app.users.findById(user.user().id()).orElseThrow();
    }

    @Test
    public void the_new_address_gets_a_link_and_takes_over_verified_only_once_it_is_confirmed() {
        SignedIn ada = app.signUp("Ada");
        Organization engines = app.organization("Engines", ada);

        request(ada, "  Ada@Example.ORG ");

        EmailChangeMail mail = sent(EmailChangeMail.class).getLast();
        assertEquals(NEW, mail.to());
        assertEquals(ada.user().email(), mail.currentEmail());
        assertTrue(mail.confirmUrl().startsWith(TestApplication.ORIGIN + "/account/email/confirm?token="), mail.confirmUrl());
        assertEquals(app.clock.instant().plus(Duration.ofHours(24)), mail.expiresAt());
        assertEquals(ada.user().email(), user(ada).email(), "the old address stays until the change is confirmed");
        app.accounts.signIn(new SignInCommand("ada@example.com", PASSWORD, "JUnit", ADDRESS));

        User changed = app.emailChange.confirmEmailChange(app.callerOf(ada), mailedToken());

        assertEquals(NEW, changed.email());
        assertEquals(java.util.Optional.of(app.clock.instant()), changed.emailVerifiedAt());
        assertEquals(changed, user(ada));
        app.accounts.signIn(new SignInCommand("ada@example.org", PASSWORD, "JUnit", ADDRESS));
        assertThrows(UnauthenticatedException.class, () -> app.accounts.signIn(
                new SignInCommand("ada@example.com", PASSWORD, "JUnit", ADDRESS)));
        assertEquals(List.of(new EmailChangedMail(new Email("ada@example.com"), "Ada", NEW, app.clock.instant())),
                sent(EmailChangedMail.class));
        assertEquals("from=ada@example.com to=ada@example.org",
                app.auditEvent(engines, "account.email_changed").details());
    }

    @Test
    public void a_link_works_once_within_24_hours_for_its_own_user_and_a_new_request_replaces_it() {
        SignedIn ada = app.signUp("Ada");
        SignedIn mallory = app.signUp("Mallory");
        request(ada, "first@example.org");
        String replaced = mailedToken();
        request(ada, "ada@example.org");
        String token = mailedToken();

        assertEquals("token", assertThrows(InvalidInputException.class,
                () -> app.emailChange.confirmEmailChange(app.callerOf(ada), replaced)).errors().getFirst().field());
        assertThrows(InvalidInputException.class, () -> app.emailChange.confirmEmailChange(app.callerOf(mallory), token));
        assertEquals(new Email("mallory@example.com"), user(mallory).email());
        assertThrows(InvalidInputException.class, () -> app.emailChange.confirmEmailChange(app.callerOf(ada), "x".repeat(43)));
        assertThrows(InvalidInputException.class, () -> app.emailChange.confirmEmailChange(app.callerOf(ada), " "));
        assertThrows(InvalidInputException.class, () -> app.emailChange.confirmEmailChange(app.callerOf(ada), "x".repeat(10_000)));

        app.emailChange.confirmEmailChange(app.callerOf(ada), token);
        assertThrows(InvalidInputException.class, () -> app.emailChange.confirmEmailChange(app.callerOf(ada), token));
        assertEquals(NEW, user(ada).email());

        request(ada, "later@example.org");
        String late = mailedToken();
        app.clock.advance(Duration.ofHours(24));
        assertThrows(InvalidInputException.class, () -> app.emailChange.confirmEmailChange(app.callerOf(ada), late));
        assertEquals(NEW, user(ada).email());
    }

    @Test
    public void an_address_of_another_account_is_refused_when_asked_and_again_when_confirmed() {
        SignedIn ada = app.signUp("Ada");
        app.signUp("Bob");
        assertThrows(ConflictException.class, () -> request(ada, "BOB@example.com"));
        assertEquals(List.of(), sent(EmailChangeMail.class));

        request(ada, "carol@example.com");
        String token = mailedToken();
        app.signUp("Carol"); // takes carol@example.com meanwhile
        Object before = app.contents();

        assertThrows(ConflictException.class, () -> app.emailChange.confirmEmailChange(app.callerOf(ada), token));

        assertEquals(before, app.contents(), "nothing changed, the token neither");
        assertEquals(new Email("ada@example.com"), user(ada).email());
    }

    @Test
    public void the_current_password_is_checked_under_the_sign_in_limits_and_the_input_before_it() {
        SignedIn ada = app.signUp("Ada");
        int verified = app.hasher.verifications();
        var invalid = assertThrows(InvalidInputException.class, () -> app.emailChange.requestEmailChange(app.callerOf(ada),
                new RequestEmailChangeCommand("not an address", "x".repeat(1_000))));
        assertEquals(List.of("newEmail", "currentPassword"), invalid.errors().stream().map(FieldError::field).toList());
        assertEquals("newEmail", assertThrows(InvalidInputException.class, () -> request(ada, "ADA@example.com"))
                .errors().getFirst().field());
        assertEquals(verified, app.hasher.verifications());

        for (int i = 0; i < SharedAccountThrottle.ATTEMPTS_PER_ACCOUNT_AND_ADDRESS; i++) {
            var e = assertThrows(InvalidInputException.class, () -> app.emailChange.requestEmailChange(
                    app.callerOf(ada), new RequestEmailChangeCommand("ada@example.org", "not the password")));
            assertEquals("currentPassword", e.errors().getFirst().field());
        }
        assertThrows(RateLimitedException.class, () -> request(ada, "ada@example.org"));
        assertEquals(List.of(), sent(EmailChangeMail.class));
    }

    @Test
    public void change_mails_are_limited_per_user() {
        SignedIn ada = app.signUp("Ada");
        for (int i = 0; i < SharedAccountThrottle.VERIFICATION_MAILS_PER_EMAIL; i++) request(ada, "ada" + i + "@example.org");

        assertThrows(RateLimitedException.class, () -> request(ada, "another@example.org"));
        app.clock.advance(SharedAccountThrottle.VERIFICATION_MAIL_INTERVAL);
        request(ada, "another@example.org");
        assertEquals(SharedAccountThrottle.VERIFICATION_MAILS_PER_EMAIL + 1, sent(EmailChangeMail.class).size());
    }

    @Test
    public void change_mails_to_one_address_are_limited_across_accounts() {
        for (int i = 0; i < SharedAccountThrottle.VERIFICATION_MAILS_PER_EMAIL; i++) request(app.signUp("User" + i), "victim@example.org");

        assertThrows(RateLimitedException.class, () -> request(app.signUp("Another"), "Victim@example.org"));
        assertEquals(SharedAccountThrottle.VERIFICATION_MAILS_PER_EMAIL, sent(EmailChangeMail.class).size());
    }

    @Test
    public void invitations_follow_the_address_an_old_one_no_longer_matches_a_new_one_does() {
        SignedIn alice = app.signUp("Alice");
        Organization acme = app.organization("Acme", alice);
        SignedIn bob = app.signUp("Bob");
        app.invitationService.createInvitation(app.callerOf(alice), new CreateInvitationCommand("bob@example.com", "org:member"));
        app.invitationService.createInvitation(app.callerOf(alice), new CreateInvitationCommand("bob@example.org", "org:admin"));
        List<InvitationMail> invitations = sent(InvitationMail.class);
        request(bob, "bob@example.org");

        app.emailChange.confirmEmailChange(app.callerOf(bob), mailedToken());

        assertThrows(ForbiddenException.class, () -> app.invitationService.acceptInvitation(app.callerOf(bob),
                token(invitations.getFirst().acceptUrl())));
        app.invitationService.acceptInvitation(app.callerOf(bob), token(invitations.getLast().acceptUrl()));
        assertEquals(RoleKey.ADMIN, app.memberships.find(acme.id(), bob.user().id()).orElseThrow().role());
    }

    @Test
    public void links_mailed_to_the_old_address_stop_working_with_it() {
        SignedIn ada = app.signUp("Ada");
        app.passwordReset.requestReset(new ResetPasswordUseCase.RequestResetCommand("ada@example.com", ADDRESS));
        String resetUrl = sent(PasswordResetMail.class).getLast().resetUrl();
        request(ada, "ada@example.org");

        app.emailChange.confirmEmailChange(app.callerOf(ada), mailedToken());

        String resetToken = URLDecoder.decode(URI.create(resetUrl).getRawQuery().substring("token=".length()), StandardCharsets.UTF_8);
        assertThrows(InvalidInputException.class, () -> app.passwordReset.confirmReset(
                new ResetPasswordUseCase.ConfirmResetCommand(resetToken, "a brand new passphrase", ADDRESS)));
    }

    private static String token(String url) {
        return URLDecoder.decode(URI.create(url).getRawQuery().substring("token=".length()), StandardCharsets.UTF_8);
    }
}
