package com.orgkeys.application.apikey.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreatedApiKey;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.ListApiKeysQuery;
import com.orgkeys.application.apikey.port.in.RevocationListener;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.UpdateRoleCommand;
import com.orgkeys.application.membership.service.MembershipService;
import com.orgkeys.application.membership.service.RoleService;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyStatus;
import com.orgkeys.domain.apikey.ApiKeySubject;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.orgkeys.application.testing.TestApplication.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys that act as a user: their scopes as far as the user holds them now, on this node and another (two services
 * with a lookup cache each, which hear the revocation feed); revoked when the user leaves.
 */
class UserOwnedApiKeysTest {
    private static final Set<Permission> KEYMAKER = Set.of(Permission.API_KEYS_READ, Permission.API_KEYS_MANAGE,
            Permission.AGENTS_READ, Permission.AGENTS_MANAGE);

    private final TestApplication app = new TestApplication();
    private final ApiKeyService node = cached();
    private final ApiKeyService otherNode = cached();
    /** What the revocation feed does: every node hears every change when it commits. */
    private final RevocationListener feed = new RevocationListener() {
        @Override
        public void keyRevoked(String secretHash) {
            node.keyRevoked(secretHash);
            otherNode.keyRevoked(secretHash);
        }

        @Override
        public void keyRevoked(String secretHash, Instant sentAt) {
            keyRevoked(secretHash);
        }

        @Override
        public void feedInterrupted() {
        }

        @Override
        public void feedRestored() {
        }
    };
    private final OwnedApiKeys owned = new OwnedApiKeys(app.apiKeyRepository, app.audit, app.clock, feed);
    private final MembershipService members = new MembershipService(app.memberships, app.users, app.roles, app.grants,
            app.audit, app.tx, app.clock, owned);
    private final RoleService roles = new RoleService(app.roleRepository, app.memberships, app.grants, app.audit, app.tx,
            app.clock, owned);
    private SignedIn alice;
    private SignedIn bob;
    private Organization acme;

    private ApiKeyService cached() {
        ApiKeyService service = app.apiKeyNode(app.apiKeyRepository);
        service.feedRestored();
        return service;
    }

    @BeforeEach
    void bobMakesKeysInAcme() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
        app.role(acme, "org:keymaker", KEYMAKER);
        app.role(acme, "org:reader", Set.of(Permission.API_KEYS_READ, Permission.API_KEYS_MANAGE, Permission.AGENTS_READ));
        bob = app.member(acme, "Bob", new RoleKey("org:keymaker"));
    }

    private CreatedApiKey bobsKey(String subject) {
        return node.createApiKey(app.callerOf(bob), new CreateApiKeyCommand("Bob's laptop", "", Optional.of(List.of(
                "org:agents:read", "org:agents:manage")), Optional.empty(), Optional.empty(), Optional.of(subject)));
    }

    private Set<Permission> scopesOn(ApiKeyService service, CreatedApiKey key) {
        return service.authenticate(key.secret(), ADDRESS).orElseThrow().permissions();
    }

    @Test
    public void a_users_key_acts_with_the_scopes_its_user_holds_and_narrows_on_every_node_when_they_are_demoted() {
        CreatedApiKey key = bobsKey("user");
        assertEquals(new ApiKeySubject(Optional.of(bob.user().id())), key.key().subject());
        assertEquals(Set.of(Permission.AGENTS_READ, Permission.AGENTS_MANAGE), scopesOn(node, key));
        assertEquals(Set.of(Permission.AGENTS_READ, Permission.AGENTS_MANAGE), scopesOn(otherNode, key), "remembered there");

        members.changeRole(app.callerOf(alice), bob.user().id(), "org:reader");

        assertEquals(Set.of(Permission.AGENTS_READ), scopesOn(node, key));
        assertEquals(Set.of(Permission.AGENTS_READ), scopesOn(otherNode, key), "forgotten there, read again");
        assertEquals(Set.of(Permission.AGENTS_READ, Permission.AGENTS_MANAGE),
                app.apiKeyRepository.find(acme.id(), key.key().id()).orElseThrow().scopes(), "its own scopes stay");

        members.changeRole(app.callerOf(alice), bob.user().id(), "org:keymaker");
        assertEquals(Set.of(Permission.AGENTS_READ, Permission.AGENTS_MANAGE), scopesOn(otherNode, key),
                "promoted again: the key can again do what he can");
    }

    @Test
    public void a_member_has_at_most_the_cap_of_working_keys_and_a_revoked_one_makes_room() {
        List<CreatedApiKey> made = new java.util.ArrayList<>();
        for (int i = 0; i < ApiKeyService.MAX_KEYS_PER_MEMBER; i++) made.add(bobsKey("user"));
        int events = app.auditLog.all(acme.id()).size();

        var refused = assertThrows(ConflictException.class, () -> bobsKey("user"));
        assertTrue(refused.getMessage().contains("revoke one first"), refused.getMessage());
        assertEquals(events, app.auditLog.all(acme.id()).size(), "nothing recorded");
        bobsKey("organization"); // the organization's keys have no such cap

        node.revokeApiKey(app.callerOf(bob), made.getFirst().key().id(), Optional.empty());
        CreatedApiKey again = bobsKey("user");
        assertEquals(ApiKeyStatus.ACTIVE, again.status());
    }

    @Test
    public void editing_a_role_changes_the_keys_of_its_holders_on_every_node_and_not_the_organizations_keys() {
        CreatedApiKey mine = bobsKey("user");
        CreatedApiKey organizations = bobsKey("organization");
        scopesOn(otherNode, mine);
        scopesOn(otherNode, organizations);

        roles.updateRole(app.callerOf(alice), "org:keymaker", new UpdateRoleCommand(Optional.empty(),
                Optional.of(List.of("org:sys_api_keys:read", "org:sys_api_keys:manage", "org:agents:manage"))));

        assertEquals(Set.of(Permission.AGENTS_MANAGE), scopesOn(otherNode, mine));
        assertEquals(Set.of(Permission.AGENTS_READ, Permission.AGENTS_MANAGE), scopesOn(otherNode, organizations),
                "an organization's key does not act as its creator");
    }

    @Test
    public void leaving_revokes_the_users_keys_there_audited_and_the_organizations_keys_keep_working() {
        CreatedApiKey mine = bobsKey("user");
        CreatedApiKey organizations = bobsKey("organization");
        scopesOn(otherNode, mine);

        members.removeMember(app.callerOf(bob), bob.user().id());

        assertEquals(Optional.empty(), otherNode.authenticate(mine.secret(), ADDRESS), "refused as revoked: 401");
        assertEquals(Optional.empty(), node.authenticate(mine.secret(), ADDRESS));
        ApiKey revoked = app.apiKeyRepository.find(acme.id(), mine.key().id()).orElseThrow();
        assertEquals(ApiKeyStatus.REVOKED, revoked.statusAt(app.clock.instant()));
        assertEquals(Optional.of(OwnedApiKeys.OWNER_LEFT), revoked.revocationReason());
        AuditEvent event = app.auditEvent(acme, "api_key.revoked");
        assertEquals(mine.key().id().toString(), event.target());
        assertTrue(scopesOn(otherNode, organizations).contains(Permission.AGENTS_MANAGE));

        // back in the organization, the key stays revoked: leaving ended it for good
        app.memberships.insert(new com.orgkeys.domain.membership.Membership(acme.id(), bob.user().id(),
                new RoleKey("org:keymaker"), app.clock.instant()));
        assertEquals(Optional.empty(), otherNode.authenticate(mine.secret(), ADDRESS));
    }

    @Test
    public void a_user_makes_keys_for_themselves_only_and_lists_filter_by_subject() {
        CreatedApiKey mine = bobsKey("user:" + bob.user().id());
        CreatedApiKey organizations = bobsKey("organization");

        var other = assertThrows(InvalidInputException.class, () -> bobsKey("user:" + alice.user().id()));
        assertEquals("subject", other.errors().getFirst().field());
        var nonsense = assertThrows(InvalidInputException.class, () -> bobsKey("user:not-an-id"));
        assertEquals("subject", nonsense.errors().getFirst().field());

        assertEquals(List.of(mine.key().id()), list("user:" + bob.user().id()));
        assertEquals(List.of(organizations.key().id()), list("organization"));
        assertEquals(List.of(), list("user:" + alice.user().id()));
        assertEquals(2, list(null).size());
        assertThrows(InvalidInputException.class, () -> list("everyone"));
    }

    @Test
    public void a_key_cannot_carry_what_its_user_does_not_hold_at_creation() {
        members.changeRole(app.callerOf(alice), bob.user().id(), "org:reader");
        assertThrows(ForbiddenException.class, () -> bobsKey("user"));
    }

    private List<com.orgkeys.domain.apikey.ApiKeyId> list(String subject) {
        return node.listApiKeys(app.callerOf(alice), new ListApiKeysQuery(null, Optional.empty(), PageRequest.first(10),
                Optional.ofNullable(subject))).data().stream().map(k -> k.key().id()).toList();
    }

    /** A confirmed authenticator app, stored as enrollment would leave it. */
    private void enableSecondFactor(SignedIn user) {
        var id = user.user().id();
        var secret = new com.orgkeys.domain.twofactor.TotpFactor.EncryptedSecret(1, new byte[]{1, 2, 3});
        assertTrue(app.twoFactors.savePendingTotp(com.orgkeys.domain.twofactor.TotpFactor.pending(id, secret, app.clock.instant())));
        assertTrue(app.twoFactors.confirmTotp(id, secret, 1, app.clock.instant()));
    }

    @Test
    public void the_two_factor_requirement_holds_a_users_key_back_as_their_session_on_every_node() {
        var organizations = new com.orgkeys.application.organization.service.OrganizationService(app.organizations,
                app.memberships, app.grants, app.sessions, app.twoFactors, app.users,
                com.orgkeys.application.testing.FakeMetadataJson.INSTANCE, app.audit, app.tx, app.clock, node,
                com.orgkeys.application.webhook.service.WebhookEvents.NONE, owned);
        var notices = new com.orgkeys.application.twofactor.service.TwoFactorNotices(app.memberships, app.mails, app.audit, owned, app.tx);
        CreatedApiKey mine = bobsKey("user");
        CreatedApiKey organizations_ = bobsKey("organization");
        Set<Permission> all = Set.of(Permission.AGENTS_READ, Permission.AGENTS_MANAGE);
        assertEquals(all, scopesOn(node, mine));
        assertEquals(all, scopesOn(otherNode, mine), "remembered there");
        enableSecondFactor(alice);

        organizations.updateOrganization(app.callerOf(alice), new com.orgkeys.application.organization.port.in
                .ManageOrganizationsUseCase.UpdateOrganizationCommand(Optional.empty(), Optional.empty(), Optional.of(true)));

        assertEquals(Set.of(), scopesOn(node, mine), "Bob has no second factor: his key acts with no scopes");
        assertEquals(Set.of(), scopesOn(otherNode, mine), "forgotten there, read again");
        assertEquals(all, scopesOn(otherNode, organizations_), "an organization's key is not held back");

        enableSecondFactor(bob); // as enrollment does, which tells of it in the same transaction
        app.tx.inTransaction(() -> {
            notices.changed(bob.user(), com.orgkeys.application.mail.port.out.TwoFactorChangedMail.Change.ENABLED, "",
                    ADDRESS, app.clock.instant());
            return null;
        });
        assertEquals(all, scopesOn(node, mine), "with a factor of his own, the key is his again");
        assertEquals(all, scopesOn(otherNode, mine));

        organizations.updateOrganization(app.callerOf(alice), new com.orgkeys.application.organization.port.in
                .ManageOrganizationsUseCase.UpdateOrganizationCommand(Optional.empty(), Optional.empty(), Optional.of(false)));
        app.twoFactors.deleteTotp(bob.user().id());
        assertEquals(all, scopesOn(otherNode, mine), "no requirement: no factor needed");
    }
}
