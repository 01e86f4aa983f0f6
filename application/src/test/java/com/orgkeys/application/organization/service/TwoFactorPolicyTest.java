package com.orgkeys.application.organization.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase.UpdateOrganizationCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.shared.TwoFactorRequiredException;
import com.orgkeys.domain.twofactor.TotpFactor;
import com.orgkeys.domain.twofactor.TotpFactor.EncryptedSecret;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An organization that requires two-factor sign-in (issue 22 part 2), over in-memory fakes. */
class TwoFactorPolicyTest {
    private final TestApplication app = new TestApplication();
    private final SignedIn ada = app.signUp("Ada");
    private final Organization engines = app.organization("Engines", ada);

    private static UpdateOrganizationCommand require(boolean required) {
        return new UpdateOrganizationCommand(Optional.empty(), Optional.empty(), Optional.of(required));
    }

    /** A confirmed authenticator app, stored as enrollment would leave it. */
    private void enableSecondFactor(SignedIn user) {
        UserId id = user.user().id();
        EncryptedSecret secret = new EncryptedSecret(1, new byte[]{1, 2, 3});
        assertTrue(app.twoFactors.savePendingTotp(TotpFactor.pending(id, secret, app.clock.instant())));
        assertTrue(app.twoFactors.confirmTotp(id, secret, 1, app.clock.instant()));
    }

    @Test
    void it_is_off_by_default_and_an_admin_without_a_second_factor_cannot_turn_it_on() {
        assertFalse(engines.twoFactorRequired());
        Object before = app.contents();
        var refused = assertThrows(ConflictException.class,
                () -> app.organizationService.updateOrganization(app.callerOf(ada), require(true)));
        assertTrue(refused.getMessage().contains("lock you out"), refused.getMessage());
        assertEquals(before, app.contents(), "nothing written, nothing audited");
    }

    @Test
    void an_admin_with_a_second_factor_turns_it_on_and_off_audited() {
        enableSecondFactor(ada);
        Organization on = app.organizationService.updateOrganization(app.callerOf(ada), require(true));
        assertTrue(on.twoFactorRequired());
        assertTrue(app.organizations.findById(engines.id()).orElseThrow().twoFactorRequired());
        assertEquals("user:" + ada.user().id(),
                app.auditEvent(engines, "organization.two_factor_required.enabled").actor().toString());
        // the same value again changes nothing and records nothing
        app.organizationService.updateOrganization(app.callerOf(ada), require(true));
        app.auditEvent(engines, "organization.two_factor_required.enabled");

        assertFalse(app.organizationService.updateOrganization(app.callerOf(ada), require(false)).twoFactorRequired());
        app.auditEvent(engines, "organization.two_factor_required.disabled");
        assertTrue(app.auditLog.all(engines.id()).stream().noneMatch(e -> e.action().equals("organization.updated")));
    }

    @Test
    void only_who_may_manage_the_profile_changes_it() {
        SignedIn bob = app.member(engines, "Bob", RoleKey.MEMBER);
        enableSecondFactor(bob);
        Object before = app.contents();
        var refused = assertThrows(ForbiddenException.class,
                () -> app.organizationService.updateOrganization(app.callerOf(bob), require(true)));
        assertEquals("Missing permission org:sys_profile:manage.", refused.getMessage());
        assertEquals(before, app.contents());
    }

    @Test
    void a_member_without_a_second_factor_is_held_back_until_they_have_one() {
        SignedIn bob = app.member(engines, "Bob", RoleKey.MEMBER);
        enableSecondFactor(ada);
        app.organizationService.updateOrganization(app.callerOf(ada), require(true));

        UserCaller held = app.callerOf(bob);
        assertTrue(held.secondFactorMissing());
        assertFalse(held.has(Permission.AGENTS_READ));
        assertThrows(TwoFactorRequiredException.class, () -> app.agents.listAgents(held, PageRequest.first(10)));
        assertThrows(TwoFactorRequiredException.class, () -> app.organizationService.getOrganization(held));
        assertThrows(TwoFactorRequiredException.class, () -> app.membershipService.listMembers(held, PageRequest.first(10)));
        assertEquals(List.of("Engines"), app.organizationService.listMyOrganizations(held).stream()
                .map(Organization::name).toList(), "their organizations stay listed, to switch");

        enableSecondFactor(bob);
        UserCaller enrolled = app.callerOf(bob); // read again on the next request: no memory of the refusal
        assertFalse(enrolled.secondFactorMissing());
        assertEquals(0, app.agents.listAgents(enrolled, PageRequest.first(10)).data().size());
    }

    @Test
    void a_held_back_member_may_still_leave() {
        SignedIn bob = app.member(engines, "Bob", RoleKey.MEMBER);
        enableSecondFactor(ada);
        app.organizationService.updateOrganization(app.callerOf(ada), require(true));
        app.membershipService.removeMember(app.callerOf(bob), bob.user().id());
        assertTrue(app.memberships.find(engines.id(), bob.user().id()).isEmpty());
        app.auditEvent(engines, "member.left");
    }

    @Test
    void who_may_change_the_requirement_learns_how_many_members_it_would_hold_back() {
        SignedIn bob = app.member(engines, "Bob", RoleKey.MEMBER);
        app.member(app.organization("Other", app.signUp("Carol")), "Dave", RoleKey.MEMBER); // not counted here
        assertEquals(2, app.organizationService.countMembersWithoutSecondFactor(app.callerOf(ada)));
        enableSecondFactor(ada);
        assertEquals(1, app.organizationService.countMembersWithoutSecondFactor(app.callerOf(ada)));
        var refused = assertThrows(ForbiddenException.class,
                () -> app.organizationService.countMembersWithoutSecondFactor(app.callerOf(bob)));
        assertEquals("Missing permission org:sys_profile:manage.", refused.getMessage());
    }

    @Test
    void the_members_list_shows_who_has_a_second_factor() {
        SignedIn bob = app.member(engines, "Bob", RoleKey.MEMBER);
        enableSecondFactor(ada);
        Map<String, Boolean> shown = app.membershipService.listMembers(app.callerOf(ada), PageRequest.first(10)).data()
                .stream().collect(Collectors.toMap(Member::name, Member::twoFactorEnabled));
        assertEquals(Map.of("Ada", true, "Bob", false), shown);
        enableSecondFactor(bob);
        assertTrue(app.membershipService.listMembers(app.callerOf(ada), PageRequest.first(10)).data().stream()
                .allMatch(Member::twoFactorEnabled));
    }
}
