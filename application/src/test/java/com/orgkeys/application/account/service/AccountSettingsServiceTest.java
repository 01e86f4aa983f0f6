package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ManageAccountUseCase.ChangePasswordCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.mail.port.out.PasswordChangedMail;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static com.orgkeys.application.testing.TestApplication.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountSettingsServiceTest {
    private static final String NEW_PASSWORD = "a brand new passphrase";
    private final TestApplication app = new TestApplication();

    private List<PasswordChangedMail> changedMails() {
        app.deliverMail();
        return app.mailer.sent().stream().filter(PasswordChangedMail.class::isInstance)
                .map(PasswordChangedMail.class::cast).toList();
    }

    @Test
    public void a_new_password_keeps_this_session_signs_out_the_others_mails_and_audits() {
        SignedIn alice = app.signUp("Alice");
        Organization engines = app.organization("Engines", alice);
        SignedIn otherBrowser = (SignedIn) app.accounts.signIn(new SignInCommand("alice@example.com", PASSWORD, "JUnit", ADDRESS));

        app.accountSettings.changePassword(app.callerOf(alice), new ChangePasswordCommand(PASSWORD, NEW_PASSWORD));

        assertTrue(app.accounts.authenticate(alice.sessionToken(), ADDRESS).isPresent());
        assertEquals(Optional.empty(), app.accounts.authenticate(otherBrowser.sessionToken(), ADDRESS));
        assertThrows(UnauthenticatedException.class, () -> app.accounts.signIn(
                new SignInCommand("alice@example.com", PASSWORD, "JUnit", ADDRESS)));
        app.accounts.signIn(new SignInCommand("alice@example.com", NEW_PASSWORD, "JUnit", ADDRESS));
        assertEquals(List.of(alice.user().email()), changedMails().stream().map(PasswordChangedMail::to).toList());
        assertEquals("other_sessions_revoked=1", app.auditEvent(engines, "account.password_changed").details());
    }

    @Test
    public void a_wrong_current_password_changes_nothing_and_counts_as_a_failed_sign_in() {
        SignedIn alice = app.signUp("Alice");

        for (int i = 0; i < SharedAccountThrottle.ATTEMPTS_PER_ACCOUNT_AND_ADDRESS; i++) {
            var e = assertThrows(InvalidInputException.class, () -> app.accountSettings.changePassword(
                    app.callerOf(alice), new ChangePasswordCommand("not the password", NEW_PASSWORD)));
            assertEquals("currentPassword", e.errors().getFirst().field());
        }
        assertThrows(RateLimitedException.class, () -> app.accountSettings.changePassword(app.callerOf(alice),
                new ChangePasswordCommand(PASSWORD, NEW_PASSWORD)));
        assertEquals(List.of(), changedMails());
    }

    @Test
    public void the_new_password_follows_the_sign_up_rules_before_anything_is_checked() {
        SignedIn alice = app.signUp("Alice");
        int verified = app.hasher.verifications();

        var e = assertThrows(InvalidInputException.class, () -> app.accountSettings.changePassword(app.callerOf(alice),
                new ChangePasswordCommand(PASSWORD, "short")));

        assertEquals(List.of("newPassword"), e.errors().stream().map(FieldError::field).toList());
        assertEquals(verified, app.hasher.verifications());
    }

    @Test
    public void a_name_is_changed_within_the_rules() {
        SignedIn alice = app.signUp("Alice");

        assertEquals("Ada", app.accountSettings.changeName(app.callerOf(alice), "  Ada ").name());
        assertEquals("Ada", app.users.findById(alice.user().id()).orElseThrow().name());
        assertThrows(InvalidInputException.class, () -> app.accountSettings.changeName(app.callerOf(alice), " "));
        assertThrows(InvalidInputException.class, () -> app.accountSettings.changeName(app.callerOf(alice), "x".repeat(101)));
    }
}
