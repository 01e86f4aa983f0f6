package com.orgkeys.application.membership.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.agent.port.in.ManageAgentsUseCase;
import com.orgkeys.application.agent.port.in.ManageAgentsUseCase.CreateAgentCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.CreateInvitationCommand;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.CreateRoleCommand;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.UpdateRoleCommand;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase.UpdateOrganizationCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.application.webhook.port.in.ManageWebhooksUseCase;
import com.orgkeys.domain.webhook.WebhookEndpointId;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ForbiddenException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every write that needs a permission checks it against the caller's role as it is when it writes, not as it was
 * when the request was authenticated. Generated over the use cases: every method of every {@code port.in}
 * interface that takes a {@link Caller} and is not a read (list…, get…, find…, count…, current…, export…) must have a case here, so a new
 * write cannot skip the rule unnoticed. Each case runs as a caller authenticated as an admin who was then given a
 * role without permissions, or removed: 403, and nothing written. As a control, each succeeds without the demotion.
 */
class CurrentPermissionsTest {
    private static final List<String> READ_PREFIXES = List.of("list", "get", "find", "count", "current", "export");
    /** Writes on one's own account, gated by being signed in only: no organization permission to recheck. */
    private static final Set<String> OWN_ACCOUNT_WRITES = Set.of("ManageSessionsUseCase.signOut",
            "ManageSessionsUseCase.revokeSession", "ManageOrganizationsUseCase.createOrganization",
            "ManageOrganizationsUseCase.switchActiveOrganization", "ManageInvitationsUseCase.acceptInvitation",
            "ManageInvitationsUseCase.declineInvitation",
            "VerifyEmailUseCase.verifyEmail", "VerifyEmailUseCase.resendVerification",
            "ManageAccountUseCase.changePassword", "ManageAccountUseCase.changeName",
            "ChangeEmailUseCase.requestEmailChange", "ChangeEmailUseCase.confirmEmailChange",
            // two-factor sign-in of one's own account; status is a read under a name of its own
            "ManageTwoFactorUseCase.startTotp", "ManageTwoFactorUseCase.confirmTotp",
            "ManageTwoFactorUseCase.disableTotp", "ManageTwoFactorUseCase.regenerateRecoveryCodes",
            "ManageTwoFactorUseCase.status",
            // passkeys of one's own account
            "ManagePasskeysUseCase.startRegistration", "ManagePasskeysUseCase.finishRegistration",
            "ManagePasskeysUseCase.rename", "ManagePasskeysUseCase.remove",
            // the unsafe metadata of one's own account (the public and private metadata are the backend's)
            "AccountMetadataUseCase.replaceUnsafeMetadata",
            // the instance's backend secret keys: checked against ADMIN_EMAILS, not an organization's permissions
            "AdministerSecretKeysUseCase.create", "AdministerSecretKeysUseCase.revoke",
            // signs what the caller is now (user, session, role, permissions) and writes nothing of theirs
            "IssueSessionTokenUseCase.issue");
    private static final RoleKey NOTHING = new RoleKey("org:nothing");
    private static final RoleKey SPARE = new RoleKey("org:spare");

    /** An organization with one of everything, and Carl, authenticated as its admin before anything else happens. */
    private static final class Fixture {
        final TestApplication app = new TestApplication();
        final SignedIn alice = app.signUp("Alice");
        final Organization acme = app.organization("Acme", alice);
        final SignedIn carl = app.member(acme, "Carl", RoleKey.ADMIN);
        final SignedIn bob;
        /** Signed up, member of nothing: whom adding a member adds. */
        final SignedIn dora = app.signUp("Dora");
        final ApiKeyId key;
        final ApiKeyId disabledKey;
        final ApiKeyId revokedKey;
        final InvitationId invitation;
        final WebhookEndpointId endpoint;
        final String sentMessage;
        final UserCaller carlAsAuthenticated;

        Fixture() {
            app.role(acme, NOTHING.value(), Set.of());
            app.role(acme, SPARE.value(), Set.of(Permission.AGENTS_READ));
            bob = app.member(acme, "Bob", RoleKey.MEMBER);
            UserCaller admin = app.callerOf(alice);
            app.agents.createAgent(admin, new CreateAgentCommand("existing", "n", "", "m"));
            key = app.apiKeys.createApiKey(admin, new CreateApiKeyCommand("k", "", Optional.empty(), Optional.empty()))
                    .key().id();
            disabledKey = app.apiKeys.createApiKey(admin, new CreateApiKeyCommand("d", "", Optional.empty(),
                    Optional.empty())).key().id();
            app.apiKeys.disableApiKey(admin, disabledKey);
            revokedKey = app.apiKeys.createApiKey(admin, new CreateApiKeyCommand("r", "", Optional.empty(),
                    Optional.empty())).key().id();
            app.apiKeys.revokeApiKey(admin, revokedKey, Optional.empty());
            invitation = app.invitationService.createInvitation(admin,
                    new CreateInvitationCommand("ivy@example.com", "org:member")).invitation().id();
            endpoint = app.webhooks.createEndpoint(admin, new ManageWebhooksUseCase.CreateEndpointCommand(
                    "https://hooks.example.com/in", "", null, null)).id();
            sentMessage = app.webhooks.sendTestEvent(admin, endpoint);
            carlAsAuthenticated = app.callerOf(carl);
        }
    }

    /** Each write use case, as "Interface.method", with valid arguments in a {@link Fixture}. */
    private static Map<String, Consumer<Fixture>> writes() {
        Map<String, Consumer<Fixture>> writes = new LinkedHashMap<>();
        writes.put("ManageAgentsUseCase.createAgent", f -> f.app.agents.createAgent(f.carlAsAuthenticated,
                new CreateAgentCommand(null, "n", "", "m")));
        writes.put("ManageAgentsUseCase.deleteAgent", f -> f.app.agents.deleteAgent(f.carlAsAuthenticated, "existing"));
        writes.put("ManageApiKeysUseCase.createApiKey", f -> f.app.apiKeys.createApiKey(f.carlAsAuthenticated,
                new CreateApiKeyCommand("k", "", Optional.empty(), Optional.empty())));
        writes.put("ManageApiKeysUseCase.revokeApiKey", f -> f.app.apiKeys.revokeApiKey(f.carlAsAuthenticated, f.key,
                Optional.empty()));
        writes.put("ManageApiKeysUseCase.editApiKey", f -> f.app.apiKeys.editApiKey(f.carlAsAuthenticated, f.key,
                new ManageApiKeysUseCase.EditApiKeyCommand(Optional.of("renamed"), Optional.empty(), Optional.empty())));
        writes.put("ManageApiKeysUseCase.disableApiKey", f -> f.app.apiKeys.disableApiKey(f.carlAsAuthenticated, f.key));
        writes.put("ManageApiKeysUseCase.enableApiKey", f -> f.app.apiKeys.enableApiKey(f.carlAsAuthenticated, f.disabledKey));
        writes.put("ManageApiKeysUseCase.rotateApiKey", f -> f.app.apiKeys.rotateApiKey(f.carlAsAuthenticated, f.key,
                new ManageApiKeysUseCase.RotateApiKeyCommand(Optional.of(java.time.Duration.ofMinutes(1)))));
        writes.put("ManageApiKeysUseCase.setAllowlist", f -> f.app.apiKeys.setAllowlist(f.carlAsAuthenticated, f.key,
                java.util.List.of("192.0.2.0/24")));
        writes.put("ManageApiKeysUseCase.setRateLimit", f -> f.app.apiKeys.setRateLimit(f.carlAsAuthenticated, f.key,
                Optional.of(new ManageApiKeysUseCase.RateLimitCommand(10, 60))));
        writes.put("ManageApiKeysUseCase.setApiKeyDefaults", f -> f.app.apiKeys.setApiKeyDefaults(f.carlAsAuthenticated,
                Optional.of(new ManageApiKeysUseCase.RateLimitCommand(10, 60))));
        writes.put("ManageApiKeysUseCase.deleteApiKey", f -> f.app.apiKeys.deleteApiKey(f.carlAsAuthenticated, f.revokedKey));
        writes.put("ManageInvitationsUseCase.createInvitation", f -> f.app.invitationService.createInvitation(
                f.carlAsAuthenticated, new CreateInvitationCommand("zoe@example.com", "org:member")));
        writes.put("ManageInvitationsUseCase.revokeInvitation", f -> f.app.invitationService.revokeInvitation(
                f.carlAsAuthenticated, f.invitation));
        writes.put("ManageMembersUseCase.changeRole", f -> f.app.membershipService.changeRole(f.carlAsAuthenticated,
                f.bob.user().id(), SPARE.value()));
        writes.put("ManageMembersUseCase.addMember", f -> f.app.membershipService.addMember(f.carlAsAuthenticated,
                f.dora.user().id(), SPARE.value()));
        writes.put("ManageMembersUseCase.removeMember", f -> f.app.membershipService.removeMember(f.carlAsAuthenticated,
                f.bob.user().id()));
        writes.put("ManageRolesUseCase.createRole", f -> f.app.roleService.createRole(f.carlAsAuthenticated,
                new CreateRoleCommand("org:fresh", "Fresh", List.of("org:agents:read"))));
        writes.put("ManageRolesUseCase.updateRole", f -> f.app.roleService.updateRole(f.carlAsAuthenticated, SPARE.value(),
                new UpdateRoleCommand(Optional.of("Renamed"), Optional.empty())));
        writes.put("ManageRolesUseCase.deleteRole", f -> f.app.roleService.deleteRole(f.carlAsAuthenticated, SPARE.value()));
        writes.put("ManageOrganizationsUseCase.updateOrganization", f -> f.app.organizationService.updateOrganization(
                f.carlAsAuthenticated, new UpdateOrganizationCommand(Optional.of("Renamed"), Optional.empty())));
        writes.put("ManageOrganizationsUseCase.deleteOrganization", f -> f.app.organizationService.deleteOrganization(
                f.carlAsAuthenticated));
        writes.put("ManageWebhooksUseCase.createEndpoint", f -> f.app.webhooks.createEndpoint(f.carlAsAuthenticated,
                new ManageWebhooksUseCase.CreateEndpointCommand("https://hooks.example.com/2", "", null, null)));
        writes.put("ManageWebhooksUseCase.updateEndpoint", f -> f.app.webhooks.updateEndpoint(f.carlAsAuthenticated,
                f.endpoint, new ManageWebhooksUseCase.UpdateEndpointCommand(Optional.empty(), Optional.of("changed"),
                        Optional.empty(), Optional.empty())));
        writes.put("ManageWebhooksUseCase.deleteEndpoint", f -> f.app.webhooks.deleteEndpoint(f.carlAsAuthenticated, f.endpoint));
        writes.put("ManageWebhooksUseCase.sendTestEvent", f -> f.app.webhooks.sendTestEvent(f.carlAsAuthenticated, f.endpoint));
        writes.put("ManageWebhooksUseCase.replayMessage", f -> f.app.webhooks.replayMessage(f.carlAsAuthenticated,
                f.endpoint, f.sentMessage));
        writes.put("ManageWebhooksUseCase.revealSecret", f -> f.app.webhooks.revealSecret(f.carlAsAuthenticated, f.endpoint));
        writes.put("ManageWebhooksUseCase.rotateSecret", f -> f.app.webhooks.rotateSecret(f.carlAsAuthenticated, f.endpoint));
        return writes;
    }

    @Test
    public void every_write_use_case_refuses_a_caller_demoted_or_removed_after_authentication_and_changes_nothing() {
        List<String> failures = new ArrayList<>();
        writes().forEach((name, write) -> {
            Fixture demoted = new Fixture();
            demoted.app.memberships.updateRole(demoted.acme.id(), demoted.carl.user().id(), NOTHING);
            refused(name + " by a caller demoted to a role without permissions", demoted, write, failures);

            Fixture removed = new Fixture();
            removed.app.memberships.delete(removed.acme.id(), removed.carl.user().id());
            refused(name + " by a caller removed from the organization", removed, write, failures);

            Fixture control = new Fixture();
            try {
                write.accept(control);
            } catch (RuntimeException e) {
                failures.add(name + " by a caller still admin: refused, so the case proves nothing: " + e);
            }
        });
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /**
     * Personal keys (a member's own, made without the key permissions): every write of one checks, with the
     * organization locked, that its owner is still a member, and that what it hands out (scopes, a new secret,
     * enabling) they still hold. Removed after authentication: refused, nothing changed.
     */
    @Test
    public void every_write_of_a_personal_key_rechecks_its_owner_now() {
        record Case(String name, boolean refusedWhenDemoted, java.util.function.BiConsumer<Fixture, PersonalKeys> write) {
        }
        List<Case> cases = List.of(
                new Case("create", true, (f, k) -> f.app.apiKeys.createApiKey(k.bob(), new CreateApiKeyCommand("n", "",
                        Optional.of(List.of("org:agents:read")), Optional.empty(), Optional.empty(), Optional.of("user")))),
                new Case("edit", true, (f, k) -> f.app.apiKeys.editApiKey(k.bob(), k.active(), new ManageApiKeysUseCase.EditApiKeyCommand(
                        Optional.empty(), Optional.empty(), Optional.of(List.of("org:agents:read", "org:agents:manage"))))),
                new Case("rotate", true, (f, k) -> f.app.apiKeys.rotateApiKey(k.bob(), k.active(),
                        new ManageApiKeysUseCase.RotateApiKeyCommand(Optional.of(java.time.Duration.ofMinutes(1))))),
                new Case("enable", true, (f, k) -> f.app.apiKeys.enableApiKey(k.bob(), k.disabled())),
                new Case("disable", false, (f, k) -> f.app.apiKeys.disableApiKey(k.bob(), k.active())),
                new Case("revoke", false, (f, k) -> f.app.apiKeys.revokeApiKey(k.bob(), k.active(), Optional.empty())),
                new Case("setRateLimit", false, (f, k) -> f.app.apiKeys.setRateLimit(k.bob(), k.active(),
                        Optional.of(new ManageApiKeysUseCase.RateLimitCommand(10, 60)))),
                new Case("delete", false, (f, k) -> f.app.apiKeys.deleteApiKey(k.bob(), k.revoked())));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Fixture removed = new Fixture();
            PersonalKeys removedKeys = PersonalKeys.of(removed);
            removed.app.memberships.delete(removed.acme.id(), removed.bob.user().id());
            refused("personal key " + c.name() + " by its owner removed after authentication", removed,
                    f -> c.write().accept(f, removedKeys), failures);

            Fixture demoted = new Fixture();
            PersonalKeys demotedKeys = PersonalKeys.of(demoted);
            demoted.app.memberships.updateRole(demoted.acme.id(), demoted.bob.user().id(), NOTHING);
            if (c.refusedWhenDemoted()) {
                refused("personal key " + c.name() + " handing out scopes its owner lost", demoted,
                        f -> c.write().accept(f, demotedKeys), failures);
            } else {
                // taking away needs nothing held: a member may always stop their own key
                try {
                    c.write().accept(demoted, demotedKeys);
                } catch (RuntimeException e) {
                    failures.add("personal key " + c.name() + " by its demoted owner: refused: " + e);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /** Bob's (org:member, no key permission) personal keys: one active, one disabled, one revoked. */
    private record PersonalKeys(UserCaller bob, ApiKeyId active, ApiKeyId disabled, ApiKeyId revoked) {
        static PersonalKeys of(Fixture f) {
            UserCaller bob = f.app.callerOf(f.bob);
            java.util.function.Supplier<ApiKeyId> make = () -> f.app.apiKeys.createApiKey(bob, new CreateApiKeyCommand(
                    "mine", "", Optional.of(List.of("org:agents:read")), Optional.empty(), Optional.empty(),
                    Optional.of("user"))).key().id();
            ApiKeyId active = make.get();
            ApiKeyId disabled = make.get();
            f.app.apiKeys.disableApiKey(bob, disabled);
            ApiKeyId revoked = make.get();
            f.app.apiKeys.revokeApiKey(bob, revoked, Optional.empty());
            return new PersonalKeys(bob, active, disabled, revoked);
        }
    }

    private static void refused(String what, Fixture fixture, Consumer<Fixture> write, List<String> failures) {
        Object before = fixture.app.contents();
        try {
            write.accept(fixture);
            failures.add(what + ": succeeded");
        } catch (ForbiddenException expected) {
            // as it should
        } catch (RuntimeException e) {
            failures.add(what + ": want ForbiddenException, got " + e);
        }
        if (!before.equals(fixture.app.contents())) failures.add(what + ": refused, yet something changed");
    }

    @Test
    public void every_write_use_case_taking_a_caller_has_a_case_here() throws Exception {
        Set<String> found = new TreeSet<>();
        Set<String> ownAccount = new TreeSet<>();
        for (Class<?> useCase : useCaseInterfaces()) {
            for (Method method : useCase.getMethods()) {
                if (method.isDefault() || method.getParameterCount() == 0) continue;
                String name = useCase.getSimpleName() + "." + method.getName();
                if (READ_PREFIXES.stream().anyMatch(method.getName()::startsWith)) continue;
                Class<?> first = method.getParameterTypes()[0];
                if (first == Caller.class) found.add(name);
                else if (first == UserCaller.class) ownAccount.add(name);
            }
        }
        assertEquals(new TreeSet<>(writes().keySet()), found, "write use cases taking a Caller: give each a case in writes()");
        assertEquals(new TreeSet<>(OWN_ACCOUNT_WRITES), ownAccount,
                "writes taking a UserCaller: one that needs an organization permission takes a Caller and a case in writes()");
    }

    /** Every interface in a {@code com.orgkeys.application.*.port.in} package of the application's classes. */
    private static List<Class<?>> useCaseInterfaces() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(ManageAgentsUseCase.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> interfaces = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                if (!name.matches("com\\.orgkeys\\.application\\.[a-z]+\\.port\\.in\\.[A-Za-z]+")) continue;
                Class<?> type = Class.forName(name);
                if (type.isInterface()) interfaces.add(type);
            }
        }
        assertTrue(interfaces.size() >= 10, "found only " + interfaces);
        return interfaces;
    }
}
