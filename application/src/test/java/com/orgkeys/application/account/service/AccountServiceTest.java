package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignInCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignUpCommand;
import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.CreateRoleCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.RateLimitedException;
import com.orgkeys.domain.shared.UnauthenticatedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static com.orgkeys.application.testing.TestApplication.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountServiceTest {
    private final TestApplication app = new TestApplication();

    @Test
    public void sign_up_names_every_invalid_field_at_once() {
        var e = assertThrows(InvalidInputException.class, () -> app.accounts.signUp(
                new SignUpCommand("not-an-email", "short", "  ", "JUnit", ADDRESS)));

        assertEquals(Set.of("email", "password", "name"),
                e.errors().stream().map(FieldError::field).collect(Collectors.toSet()));
    }

    @Test
    public void signing_up_with_a_registered_email_in_any_case_is_a_conflict() {
        app.accounts.signUp(new SignUpCommand("alice@example.com", PASSWORD, "Alice", "JUnit", ADDRESS));

        assertThrows(ConflictException.class, () -> app.accounts.signUp(
                new SignUpCommand(" ALICE@Example.com", PASSWORD, "Other Alice", "JUnit", ADDRESS)));
    }

    @Test
    public void signed_up_user_can_sign_in_with_their_password() {
        SignedIn signedUp = app.signUp("Alice");

        SignedIn signedIn = (SignedIn) app.accounts.signIn(new SignInCommand("Alice@Example.com", PASSWORD, "JUnit", ADDRESS));

        assertEquals(signedUp.user(), signedIn.user());
        assertNotEquals(signedUp.sessionToken(), signedIn.sessionToken());
        assertTrue(app.accounts.authenticate(signedIn.sessionToken(), ADDRESS).isPresent());
    }

    @Test
    public void wrong_password_and_unknown_email_get_the_same_answer() {
        app.signUp("Alice");

        var wrongPassword = assertThrows(UnauthenticatedException.class, () -> app.accounts.signIn(
                new SignInCommand("alice@example.com", "not the password at all", "JUnit", ADDRESS)));
        var unknownEmail = assertThrows(UnauthenticatedException.class, () -> app.accounts.signIn(
                new SignInCommand("nobody@example.com", PASSWORD, "JUnit", ADDRESS)));
        var malformedEmail = assertThrows(UnauthenticatedException.class, () -> app.accounts.signIn(
                new SignInCommand("nobody", PASSWORD, "JUnit", ADDRESS)));

        assertEquals(wrongPassword.getMessage(), unknownEmail.getMessage());
        assertEquals(wrongPassword.getMessage(), malformedEmail.getMessage());
    }

    @Test
    public void five_failures_from_one_address_hold_that_address_back_but_not_the_owner_elsewhere() {
        app.signUp("Alice");
        app.signUp("Bob");
        for (int i = 0; i < SharedAccountThrottle.ATTEMPTS_PER_ACCOUNT_AND_ADDRESS; i++) {
            assertThrows(UnauthenticatedException.class, () -> signIn("alice@example.com", "wrong password, again"));
        }

        // even the right password is refused from there; another account from the same address is not affected,
        // nor the account from another address
        assertThrows(RateLimitedException.class, () -> signIn("alice@example.com", PASSWORD));
        signIn("bob@example.com", PASSWORD);
        app.accounts.signIn(new SignInCommand("alice@example.com", PASSWORD, "JUnit", "198.51.100.20"));

        app.clock.advance(SharedAccountThrottle.ACCOUNT_AND_ADDRESS_INTERVAL.minusSeconds(1));
        var stillLimited = assertThrows(RateLimitedException.class, () -> signIn("ALICE@example.com", PASSWORD));
        assertEquals(Duration.ofSeconds(1), stillLimited.retryAfter());

        app.clock.advance(Duration.ofSeconds(1));
        assertEquals("alice@example.com", signIn("alice@example.com", PASSWORD).user().email().value());
    }

    @Test
    public void four_failures_and_a_success_start_the_count_again() {
        app.signUp("Alice");
        for (int i = 0; i < SharedAccountThrottle.ATTEMPTS_PER_ACCOUNT_AND_ADDRESS - 1; i++) {
            assertThrows(UnauthenticatedException.class, () -> signIn("alice@example.com", "wrong password, again"));
        }
        signIn("alice@example.com", PASSWORD);

        for (int i = 0; i < SharedAccountThrottle.ATTEMPTS_PER_ACCOUNT_AND_ADDRESS - 1; i++) {
            assertThrows(UnauthenticatedException.class, () -> signIn("alice@example.com", "wrong password, again"));
        }
        signIn("alice@example.com", PASSWORD);
    }

    @Test
    public void authenticate_gives_the_permissions_of_the_role_in_the_active_organization() {
        SignedIn alice = app.signUp("Alice");
        Organization acme = app.organization("Acme", alice);
        SignedIn bob = app.member(acme, "Bob", RoleKey.MEMBER);
        SignedIn carol = app.signUp("Carol");

        UserCaller admin = app.callerOf(alice);
        UserCaller member = app.callerOf(bob);
        UserCaller outsider = app.callerOf(carol);

        assertEquals(Optional.of(acme.id()), admin.organizationId());
        assertEquals(Role.ADMIN.permissions(), admin.permissions());
        assertEquals(Optional.of(acme.id()), member.organizationId());
        assertEquals(Optional.of(RoleKey.MEMBER), member.role());
        assertEquals(Role.MEMBER.permissions(), member.permissions());
        assertEquals(Optional.empty(), outsider.organizationId());
        assertEquals(Set.of(), outsider.permissions());
    }

    @Test
    public void a_custom_role_gives_exactly_its_permissions() {
        SignedIn alice = app.signUp("Alice");
        Organization acme = app.organization("Acme", alice);
        app.roleService.createRole(app.callerOf(alice),
                new CreateRoleCommand("org:auditor", "Auditor", List.of("org:sys_api_keys:read")));
        SignedIn bob = app.member(acme, "Bob", new RoleKey("org:auditor"));

        assertEquals(Set.of(Permission.API_KEYS_READ), app.callerOf(bob).permissions());
    }

    @Test
    public void a_signed_out_session_no_longer_authenticates() {
        SignedIn alice = app.signUp("Alice");

        app.accounts.signOut(app.callerOf(alice));

        assertEquals(Optional.empty(), app.accounts.authenticate(alice.sessionToken(), ADDRESS));
    }

    @Test
    public void a_session_unused_for_the_idle_timeout_no_longer_authenticates_but_use_keeps_it_alive() {
        SignedIn alice = app.signUp("Alice");

        app.clock.advance(Session.IDLE_TIMEOUT.minusSeconds(1));
        assertTrue(app.accounts.authenticate(alice.sessionToken(), ADDRESS).isPresent()); // and touches it

        app.clock.advance(Session.IDLE_TIMEOUT.minusSeconds(1));
        assertTrue(app.accounts.authenticate(alice.sessionToken(), ADDRESS).isPresent());

        app.clock.advance(Session.IDLE_TIMEOUT);
        assertEquals(Optional.empty(), app.accounts.authenticate(alice.sessionToken(), ADDRESS));
    }

    @Test
    public void unknown_or_absurd_tokens_do_not_authenticate() {
        app.signUp("Alice");

        assertEquals(Optional.empty(), app.accounts.authenticate("no-such-token", ADDRESS));
        assertEquals(Optional.empty(), app.accounts.authenticate("", ADDRESS));
        assertEquals(Optional.empty(), app.accounts.authenticate(null, ADDRESS));
        assertEquals(Optional.empty(), app.accounts.authenticate("x".repeat(10_000), ADDRESS));
    }

    private SignedIn signIn(String email, String password) {
        return (SignedIn) app.accounts.signIn(new SignInCommand(email, password, "JUnit", ADDRESS));
    }
}
