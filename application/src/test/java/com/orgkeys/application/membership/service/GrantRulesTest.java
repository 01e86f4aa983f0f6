package com.orgkeys.application.membership.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.apikey.port.out.ApiKeyRepository.Filter;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.CreateInvitationCommand;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase.CreatedInvitation;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.CreateRoleCommand;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase.UpdateRoleCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Nobody grants what they lack", generated rather than listed. The caller holds every subset of the
 * permissions (as a custom role), or one of the two built-in roles. Against every target role (the built-ins,
 * a role with no permission, one per single permission, one with all of them, and the caller's own), every
 * granting operation runs on the same starting state: change a member's role, remove a member, create, edit or delete
 * a role, invite (and accept, also after the role was widened), create an API key. After each one, nothing in
 * the organization grants a permission outside the caller's set that it did not grant before, only an admin
 * gave or took away {@code org:admin}, and what the rule allows did succeed (a rule that refuses everything
 * fails here too).
 */
class GrantRulesTest {
    private static final RoleKey CALLER_ROLE = new RoleKey("org:caller");
    private static final Set<Permission> ALL = Set.copyOf(Permission.ALL);
    private static final int MAX_FAILURES_SHOWN = 30;

    /** The custom target roles' permissions: none, each one alone, all. */
    private static List<Set<Permission>> targetSets() {
        List<Set<Permission>> sets = new ArrayList<>();
        sets.add(Set.of());
        for (Permission p : Permission.ALL) sets.add(Set.of(p));
        sets.add(ALL);
        return sets;
    }

    /** Every subset of all the permissions. */
    private static List<Set<Permission>> allSubsets() {
        List<Set<Permission>> subsets = new ArrayList<>();
        for (int bits = 0; bits < 1 << Permission.ALL.size(); bits++) {
            Set<Permission> subset = new LinkedHashSet<>();
            for (int i = 0; i < Permission.ALL.size(); i++) if ((bits & 1 << i) != 0) subset.add(Permission.ALL.get(i));
            subsets.add(Set.copyOf(subset));
        }
        return subsets;
    }

    @Test
    public void no_granting_operation_ever_ends_with_a_grant_outside_the_callers_permissions() {
        List<String> failures = new ArrayList<>();
        int operations = 0;
        for (Set<Permission> held : allSubsets()) operations += new Scenario(CALLER_ROLE, held, failures).run();
        operations += new Scenario(RoleKey.ADMIN, Role.ADMIN.permissions(), failures).run();
        operations += new Scenario(RoleKey.MEMBER, Role.MEMBER.permissions(), failures).run();

        assertTrue(failures.isEmpty(), failures.size() + " failures, the first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(failures.size(), MAX_FAILURES_SHOWN))));
        assertTrue(operations > 258 * 300, "ran " + operations + " operations");
    }

    /** One caller's role, over one organization; every operation starts from the same state and is undone. */
    private static final class Scenario {
        private final TestApplication app = new TestApplication();
        private final RoleKey callerRole;
        private final Set<Permission> held;
        private final boolean admin;
        private final List<String> failures;
        private final Organization acme;
        private final SignedIn carl;
        private final SignedIn alice;
        private final SignedIn ivy;
        /** Every role of the organization a target can have, with its permissions. */
        private final Map<RoleKey, Set<Permission>> targets = new LinkedHashMap<>();
        private final List<RoleKey> customTargets = new ArrayList<>();
        private final Map<RoleKey, SignedIn> victims = new HashMap<>();
        private final List<Set<Permission>> permissionSets;
        private final List<UserId> everyone = new ArrayList<>();
        private final UserCaller carlSignedIn;
        /** The state every operation starts from. */
        private final State start;
        private int operations;

        Scenario(RoleKey callerRole, Set<Permission> held, List<String> failures) {
            this.callerRole = callerRole;
            this.held = held;
            this.admin = callerRole.equals(RoleKey.ADMIN);
            this.failures = failures;
            alice = app.signUp("Alice");
            acme = app.organization("Acme", alice);
            targets.put(RoleKey.ADMIN, Role.ADMIN.permissions());
            targets.put(RoleKey.MEMBER, Role.MEMBER.permissions());
            List<Set<Permission>> sets = targetSets();
            for (int i = 0; i < sets.size(); i++) {
                Role role = app.role(acme, "org:t" + i, sets.get(i));
                targets.put(role.key(), role.permissions());
                customTargets.add(role.key());
            }
            if (callerRole.equals(CALLER_ROLE)) {
                app.role(acme, CALLER_ROLE.value(), held);
                targets.put(CALLER_ROLE, held);
                customTargets.add(CALLER_ROLE);
            }
            int n = 0;
            for (RoleKey role : targets.keySet()) victims.put(role, app.member(acme, "Victim" + n++, role));
            carl = app.member(acme, "Carl", callerRole);
            ivy = app.signUp("Ivy");
            permissionSets = new ArrayList<>(sets);
            permissionSets.add(held);
            for (SignedIn user : List.of(alice, carl, ivy)) everyone.add(user.user().id());
            victims.values().forEach(v -> everyone.add(v.user().id()));
            start = State.of(app, acme, everyone);
            carlSignedIn = app.callerOf(carl);
        }

        private String who() {
            return callerRole.equals(CALLER_ROLE) ? "caller holding " + held : "caller " + callerRole;
        }

        private boolean has(Permission permission) {
            return held.contains(permission);
        }

        private boolean within(Set<Permission> permissions) {
            return held.containsAll(permissions);
        }

        /** What the rule says: a role can be given or taken away only by who holds all of it; admin only by admins. */
        private boolean mayGiveOrTake(RoleKey role) {
            return within(targets.get(role)) && (!role.equals(RoleKey.ADMIN) || admin);
        }

        /** The caller as authenticated in the starting state, which every operation starts from. */
        private UserCaller caller() {
            return carlSignedIn;
        }

        int run() {
            boolean manage = has(Permission.MEMBERSHIPS_MANAGE);
            for (RoleKey from : targets.keySet()) {
                UserId victim = victims.get(from).user().id();
                for (RoleKey to : targets.keySet()) {
                    alone(() -> "change a member from " + from + " to " + to, manage && mayGiveOrTake(from) && mayGiveOrTake(to),
                            () -> app.membershipService.changeRole(caller(), victim, to.value()));
                }
                alone(() -> "remove a member with " + from, manage && mayGiveOrTake(from),
                        () -> app.membershipService.removeMember(caller(), victim));
            }
            for (RoleKey to : targets.keySet()) {
                alone(() -> "change own role to " + to, manage && mayGiveOrTake(to),
                        () -> app.membershipService.changeRole(caller(), carl.user().id(), to.value()));
            }
            for (Set<Permission> permissions : permissionSets) {
                alone(() -> "create a role with " + permissions, manage && within(permissions),
                        () -> app.roleService.createRole(caller(), new CreateRoleCommand("org:fresh", "Fresh", values(permissions))));
            }
            for (RoleKey role : customTargets) {
                Set<Permission> current = targets.get(role);
                for (Set<Permission> permissions : permissionSets) {
                    alone(() -> "set the permissions of " + role + " " + current + " to " + permissions,
                            manage && within(permissions) && within(current),
                            () -> app.roleService.updateRole(caller(), role.value(),
                                    new UpdateRoleCommand(Optional.empty(), Optional.of(values(permissions)))));
                }
                alone(() -> "rename " + role + " " + current, manage && within(current),
                        () -> app.roleService.updateRole(caller(), role.value(),
                                new UpdateRoleCommand(Optional.of("Renamed"), Optional.empty())));
            }
            for (Set<Permission> permissions : permissionSets) {
                // deleting voids the pending invitations at a role: only who holds all of it may
                app.undoing(() -> {
                    app.role(acme, "org:unheld", permissions);
                    check(() -> "delete an unheld role with " + permissions, manage && within(permissions),
                            ForbiddenException.class, () -> {
                                app.roleService.deleteRole(caller(), "org:unheld");
                                return null;
                            });
                });
            }
            for (RoleKey to : targets.keySet()) invite(to, manage && mayGiveOrTake(to));
            for (RoleKey to : targets.keySet()) {
                // adding a member directly (the backend API's way) gives a role as an invitation does
                alone(() -> "add a member at " + to, manage && mayGiveOrTake(to),
                        () -> app.membershipService.addMember(caller(), ivy.user().id(), to.value()));
            }
            for (Set<Permission> scopes : allSubsets()) {
                if (scopes.stream().anyMatch(Permission::isSystem)) continue;
                alone(() -> "create a key with " + scopes, has(Permission.API_KEYS_MANAGE) && within(scopes),
                        () -> app.apiKeys.createApiKey(caller(),
                                new CreateApiKeyCommand("k", "", Optional.of(values(scopes)), Optional.empty())));
            }
            alone(() -> "create a key with the default scopes", has(Permission.API_KEYS_MANAGE),
                    () -> app.apiKeys.createApiKey(caller(), new CreateApiKeyCommand("k", "", Optional.empty(), Optional.empty())));
            return operations;
        }

        /**
         * An invitation at {@code role}, accepted as sent; then one accepted after an admin gave the role every
         * permission: it joins only if the inviter could give that now.
         */
        private void invite(RoleKey role, boolean allowed) {
            app.undoing(() -> {
                Optional<CreatedInvitation> created = check(() -> "invite at " + role, allowed, ForbiddenException.class,
                        () -> app.invitationService.createInvitation(caller(), new CreateInvitationCommand("ivy@example.com", role.value())));
                created.ifPresent(c -> check(() -> "accept an invitation at " + role, true, ConflictException.class,
                        () -> app.invitationService.acceptInvitation(app.callerOf(ivy), token(c))));
            });
            if (!allowed || !customTargets.contains(role) || role.equals(CALLER_ROLE)) return;
            app.undoing(() -> {
                CreatedInvitation created = app.invitationService.createInvitation(caller(),
                        new CreateInvitationCommand("ivy@example.com", role.value()));
                app.roleService.updateRole(app.callerOf(alice), role.value(),
                        new UpdateRoleCommand(Optional.empty(), Optional.of(values(ALL))));
                check(() -> "accept an invitation at " + role + " widened to every permission", within(ALL),
                        ConflictException.class, () -> app.invitationService.acceptInvitation(app.callerOf(ivy), token(created)));
            });
        }

        /** One operation on the starting state, undone afterwards. */
        private void alone(Supplier<String> what, boolean allowed, Runnable operation) {
            app.undoing(() -> check(what, allowed, ForbiddenException.class, start, () -> {
                operation.run();
                return null;
            }));
        }

        private <T> Optional<T> check(Supplier<String> what, boolean allowed, Class<? extends RuntimeException> refusal,
                                      Supplier<T> operation) {
            return check(what, allowed, refusal, State.of(app, acme, everyone), operation);
        }

        /** Runs one operation and checks what it changed against the rule, and its outcome against the oracle. */
        private <T> Optional<T> check(Supplier<String> what, boolean allowed, Class<? extends RuntimeException> refusal,
                                      State before, Supplier<T> operation) {
            operations++;
            Supplier<String> label = () -> who() + ": " + what.get();
            T result = null;
            RuntimeException thrown = null;
            try {
                result = operation.get();
            } catch (RuntimeException e) {
                thrown = e;
            }
            State after = State.of(app, acme, everyone);
            grantsWithin(label, before, after);
            if (allowed && thrown != null) failures.add(label.get() + ": refused although allowed: " + thrown);
            if (!allowed && !refusal.isInstance(thrown)) {
                failures.add(label.get() + ": want " + refusal.getSimpleName() + ", got " + (thrown == null ? "success" : thrown));
            }
            if (!allowed && !before.equals(after)) failures.add(label.get() + ": refused, yet something changed");
            return thrown == null ? Optional.ofNullable(result) : Optional.empty();
        }

        /** The invariant: whatever changed gives and takes away only what the caller holds. */
        private void grantsWithin(Supplier<String> label, State before, State after) {
            after.members().forEach((user, role) -> {
                if (!role.equals(before.members().get(user))) given(label, "a member now has " + role, role, after.roles().get(role));
            });
            before.members().forEach((user, role) -> {
                if (!role.equals(after.members().get(user))) given(label, "a member no longer has " + role, role, before.roles().get(role));
            });
            after.roles().forEach((role, permissions) -> {
                Set<Permission> old = before.roles().get(role);
                if (permissions.equals(old)) return;
                given(label, "role " + role + " now has " + permissions, role, permissions);
                if (old != null) given(label, "role " + role + " no longer has " + old, role, old);
            });
            after.invitations().forEach((id, role) -> {
                if (!before.invitations().containsKey(id)) given(label, "an invitation gives " + role, role, after.roles().get(role));
            });
            after.keys().forEach((id, scopes) -> {
                if (!before.keys().containsKey(id)) given(label, "a key has " + scopes, null, scopes);
            });
        }

        private void given(Supplier<String> label, String what, RoleKey role, Set<Permission> permissions) {
            if (!within(permissions)) failures.add(label.get() + ": " + what + ", beyond " + held);
            if (RoleKey.ADMIN.equals(role) && !admin) failures.add(label.get() + ": " + what + ", by a non-admin");
        }
    }

    /** What the organization grants: members' roles, roles' permissions, pending invitations, keys' scopes. */
    private record State(Map<UserId, RoleKey> members, Map<RoleKey, Set<Permission>> roles,
                         Map<InvitationId, RoleKey> invitations, Map<ApiKeyId, Set<Permission>> keys) {
        /** {@code everyone}: every user there is (member or not), so a lookup each is a full read, and cheaper. */
        static State of(TestApplication app, Organization organization, List<UserId> everyone) {
            Map<UserId, RoleKey> members = new HashMap<>();
            for (UserId user : everyone) {
                app.memberships.find(organization.id(), user).ifPresent(m -> members.put(user, m.role()));
            }
            Map<RoleKey, Set<Permission>> roles = new HashMap<>();
            for (Role r : Role.BUILT_IN) roles.put(r.key(), r.permissions());
            for (Role r : app.roleRepository.list(organization.id())) roles.put(r.key(), Set.copyOf(r.permissions()));
            Map<InvitationId, RoleKey> invitations = new HashMap<>();
            for (Invitation i : app.invitations.listPending(organization.id(), app.clock.instant())) invitations.put(i.id(), i.role());
            Map<ApiKeyId, Set<Permission>> keys = new HashMap<>();
            for (ApiKey k : app.apiKeyRepository.page(organization.id(), new Filter(null, null, app.clock.instant()),
                    new PageRequest(1, PageRequest.MAX_PAGE_SIZE)).data()) {
                keys.put(k.id(), Set.copyOf(k.scopes()));
            }
            return new State(members, roles, invitations, keys);
        }
    }

    private static List<String> values(Set<Permission> permissions) {
        return permissions.stream().map(Permission::value).toList();
    }

    private static String token(CreatedInvitation created) {
        String query = URI.create(created.acceptUrl()).getRawQuery();
        return URLDecoder.decode(query.substring("token=".length()), StandardCharsets.UTF_8);
    }
}
