package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.account.port.in.ResetPasswordUseCase.ConfirmResetCommand;
import com.orgkeys.application.account.port.in.ResetPasswordUseCase.RequestResetCommand;
import com.orgkeys.application.mail.port.out.PasswordResetMail;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.accounttoken.AccountTokenPurpose;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
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

class PasswordResetServiceTest {
    private static final String NEW_PASSWORD = "a brand new passphrase";
    private final TestApplication app = new TestApplication();

    private List<PasswordResetMail> resetMails() {
        app.deliverMail();
        return app.mailer.sent().stream().filter(PasswordResetMail.class::isInstance)
                .map(PasswordResetMail.class::cast).toList();
    }

    private static String tokenOf(PasswordResetMail mail) {
        return mail.resetUrl().substring(mail.resetUrl().indexOf("token=") + "token=".length());
    }

    private String requestToken(String email) {
        app.passwordReset.requestReset(new RequestResetCommand(email, ADDRESS));
        return tokenOf(resetMails().getLast());
    }

    @Test
    public void a_request_mails_a_link_under_the_public_origin_valid_for_30_minutes() {
        SignedIn alice = app.signUp("Alice");

        app.passwordReset.requestReset(new RequestResetCommand(" ALICE@example.com ", ADDRESS));

        PasswordResetMail mail = resetMails().getFirst();
        assertEquals(alice.user().email(), mail.to());
        assertEquals("Alice", mail.name());
        assertTrue(mail.resetUrl().startsWith(TestApplication.ORIGIN + "/reset-password?token="), mail.resetUrl());
        assertEquals(43, tokenOf(mail).length());
        assertEquals(app.clock.instant().plus(Duration.ofMinutes(30)), mail.expiresAt());
        assertEquals(AccountTokenPurpose.PASSWORD_RESET.validity(), Duration.ofMinutes(30));
    }

    @Test
    public void a_request_for_an_unknown_email_answers_the_same_and_mails_nothing() {
        app.passwordReset.requestReset(new RequestResetCommand("nobody@example.com", ADDRESS));

        assertEquals(List.of(), resetMails());
    }

    @Test
    public void only_the_token_hash_is_stored() {
        app.signUp("Alice");
        String token = requestToken("alice@example.com");

        assertFalse(app.contents().toString().contains(token));
    }

    @Test
    public void the_new_password_works_the_old_does_not_and_every_session_is_signed_out() {
        SignedIn alice = app.signUp("Alice");
        SignedIn otherBrowser = (SignedIn) app.accounts.signIn(new SignInCommand("alice@example.com", PASSWORD, "JUnit", ADDRESS));
        String token = requestToken("alice@example.com");

        var done = app.passwordReset.confirmReset(new ConfirmResetCommand(token, NEW_PASSWORD, ADDRESS));

        assertEquals(2, done.sessionsRevoked());
        assertEquals(Optional.empty(), app.accounts.authenticate(alice.sessionToken(), ADDRESS));
        assertEquals(Optional.empty(), app.accounts.authenticate(otherBrowser.sessionToken(), ADDRESS));
        assertThrows(UnauthenticatedException.class, () -> app.accounts.signIn(
                new SignInCommand("alice@example.com", PASSWORD, "JUnit", ADDRESS)));
        assertEquals(alice.user().id(), app.accounts.signIn(
                new SignInCommand("alice@example.com", NEW_PASSWORD, "JUnit", ADDRESS)).user().id());
    }

    @Test
    public void a_token_works_once() {
        app.signUp("Alice");
        String token = requestToken("alice@example.com");
        app.passwordReset.confirmReset(new ConfirmResetCommand(token, NEW_PASSWORD, ADDRESS));

        var e = assertThrows(InvalidInputException.class, () -> app.passwordReset.confirmReset(
                new ConfirmResetCommand(token, "yet another passphrase", ADDRESS)));
        assertEquals("token", e.errors().getFirst().field());
    }

    @Test
    public void an_unknown_used_or_expired_token_gets_one_and_the_same_answer_without_hashing() {
        app.signUp("Alice");
        String expired = requestToken("alice@example.com");
        app.clock.advance(Duration.ofMinutes(30));
        String used = requestToken("alice@example.com");
        app.passwordReset.confirmReset(new ConfirmResetCommand(used, NEW_PASSWORD, ADDRESS));
        int hashes = app.hasher.hashes();

        List<String> messages = List.of(expired, used, "no-such-token", "x".repeat(5_000)).stream()
                .map(token -> assertThrows(InvalidInputException.class, () -> app.passwordReset.confirmReset(
                        new ConfirmResetCommand(token, NEW_PASSWORD, ADDRESS))).errors())
                .map(errors -> errors.getFirst().field() + ": " + errors.getFirst().message())
                .distinct().toList();
        assertEquals(1, messages.size(), messages.toString());
        assertTrue(messages.getFirst().startsWith("token: "), messages.getFirst());
        assertEquals(hashes, app.hasher.hashes());
    }

    @Test
    public void a_new_request_replaces_the_earlier_link() {
        app.signUp("Alice");
        String first = requestToken("alice@example.com");
        String second = requestToken("alice@example.com");

        assertThrows(InvalidInputException.class, () -> app.passwordReset.confirmReset(
                new ConfirmResetCommand(first, NEW_PASSWORD, ADDRESS)));
        app.passwordReset.confirmReset(new ConfirmResetCommand(second, NEW_PASSWORD, ADDRESS));
    }

    @Test
    public void the_new_password_follows_the_sign_up_rules_and_a_refused_one_keeps_the_token() {
        app.signUp("Alice");
        String token = requestToken("alice@example.com");

        var e = assertThrows(InvalidInputException.class, () -> app.passwordReset.confirmReset(
                new ConfirmResetCommand(token, "short", ADDRESS)));
        assertEquals(List.of("password"), e.errors().stream().map(FieldError::field).toList());

        app.passwordReset.confirmReset(new ConfirmResetCommand(token, NEW_PASSWORD, ADDRESS));
    }

    @Test
    public void the_reset_is_audited_in_each_organization_of_the_user() {
        SignedIn alice = app.signUp("Alice");
        Organization engines = app.organization("Engines", alice);
        String token = requestToken("alice@example.com");

        app.passwordReset.confirmReset(new ConfirmResetCommand(token, NEW_PASSWORD, "198.51.100.4"));

        var event = app.auditEvent(engines, "account.password_reset");
        assertEquals("user:" + alice.user().id(), event.actor().value());
        assertEquals(alice.user().id().toString(), event.target());
        assertEquals("198.51.100.4", event.clientAddress());
    }

    @Test
    public void requests_are_throttled_per_email_whether_it_has_an_account_or_not() {
        app.signUp("Alice");
        for (String email : List.of("alice@example.com", "nobody@example.com")) {
            for (int i = 0; i < SharedAccountThrottle.RESETS_PER_EMAIL; i++) {
                app.passwordReset.requestReset(new RequestResetCommand(email, "198.51.100." + i));
            }
            assertThrows(RateLimitedException.class, () -> app.passwordReset.requestReset(
                    new RequestResetCommand(email, "198.51.100.99")));
        }
        assertEquals(SharedAccountThrottle.RESETS_PER_EMAIL, resetMails().size());
    }

    @Test
    public void requests_are_throttled_per_client_address() {
        for (int i = 0; i < SharedAccountThrottle.RESETS_PER_ADDRESS; i++) {
            app.passwordReset.requestReset(new RequestResetCommand("user" + i + "@example.com", ADDRESS));
        }
        assertThrows(RateLimitedException.class, () -> app.passwordReset.requestReset(
                new RequestResetCommand("another@example.com", ADDRESS)));
        app.clock.advance(SharedAccountThrottle.RESET_ADDRESS_INTERVAL);
        app.passwordReset.requestReset(new RequestResetCommand("another@example.com", ADDRESS));
    }

    @Test
    public void a_malformed_email_is_a_field_error() {
        var e = assertThrows(InvalidInputException.class, () -> app.passwordReset.requestReset(
                new RequestResetCommand("not an email", ADDRESS)));
        assertEquals("email", e.errors().getFirst().field());
    }
}
