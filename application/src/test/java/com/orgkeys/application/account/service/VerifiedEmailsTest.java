package com.orgkeys.application.account.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.caller.ApiKeyCaller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.EmailNotVerifiedException;
import com.orgkeys.domain.shared.ForbiddenException;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VerifiedEmailsTest {
    private final TestApplication app = new TestApplication();

    @Test
    public void a_user_passes_once_their_email_is_verified_and_not_before() {
        SignedIn alice = app.signUpUnverified("Alice");

        var refused = assertThrows(EmailNotVerifiedException.class, () -> app.verifiedEmails.require(app.callerOf(alice)));
        assertInstanceOf(ForbiddenException.class, refused, "a 403 wherever a ForbiddenException is one");

        app.verifyEmail(alice);
        app.verifiedEmails.require(app.callerOf(alice));
    }

    @Test
    public void an_api_key_is_no_person_and_has_no_email_to_verify() {
        app.verifiedEmails.require(new ApiKeyCaller(UUID.randomUUID(), OrganizationId.random(),
                Set.of(Permission.AGENTS_MANAGE), TestApplication.ADDRESS));
    }
}
