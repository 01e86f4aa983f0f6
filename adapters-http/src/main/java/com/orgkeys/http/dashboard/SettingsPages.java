package com.orgkeys.http.dashboard;

import com.orgkeys.application.audit.port.in.ListAuditEventsUseCase;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase;
import com.orgkeys.application.membership.port.in.ManageMembersUseCase;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase;
import com.orgkeys.application.organization.port.in.ManageOrganizationsUseCase;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.audit.AuditFilter;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.membership.Grantor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.http.dashboard.PageModels.AuditPage;
import com.orgkeys.http.dashboard.PageModels.AuditRow;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.dashboard.PageModels.GeneralPage;
import com.orgkeys.http.dashboard.PageModels.InvitationRow;
import com.orgkeys.http.dashboard.PageModels.LeaveConfirmPage;
import com.orgkeys.http.dashboard.PageModels.MemberRow;
import com.orgkeys.http.dashboard.PageModels.MembersPage;
import com.orgkeys.http.dashboard.PageModels.RoleConfirmPage;
import com.orgkeys.http.dashboard.PageModels.RoleEditPage;
import com.orgkeys.http.dashboard.PageModels.RoleOption;
import com.orgkeys.http.dashboard.PageModels.RoleRow;
import com.orgkeys.http.dashboard.PageModels.RolesPage;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.Requests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Organization settings: General, Members (with invitations), Roles and Audit log tabs. */
final class SettingsPages {
    static final List<String> ALL_PERMISSIONS = Permission.ALL.stream().map(Permission::value).toList();
    private static final int AUDIT_PAGE_SIZE = 25;
    private static final String MEMBERS_PATH = "/settings/members";
    private static final int MEMBERS_PAGE_SIZE = 50;
    /** How many members the audit log's "who" filter offers; others are chosen by clicking their name in the log. */
    private static final int AUDIT_ACTOR_CHOICES = 100;
    /** The actions the services record, for the audit log's filter. */
    static final List<String> AUDIT_ACTIONS = List.of("api_key.created", "api_key.updated", "api_key.disabled",
            "api_key.enabled", "api_key.revoked", "api_key.deleted", "audit_log.exported",
            "invitation.created", "invitation.revoked", "invitation.accepted", "member.role_changed", "member.removed",
            "member.left", "organization.created", "organization.updated", "organization.two_factor_required.enabled",
            "organization.two_factor_required.disabled", "role.created", "role.updated", "role.deleted",
            "account.password_changed", "account.password_reset", "account.email_changed", "user.two_factor.enabled",
            "user.two_factor.disabled", "user.two_factor.recovery_codes_regenerated",
            "user.two_factor.recovery_code_used");
    /** A role key as RoleKey shapes it, not the start of a permission ("org:agents:read"). */
    private static final Pattern ROLE_KEY = Pattern.compile("org:[a-z][a-z0-9_]{0,39}(?![a-z0-9_:])");

    private final Pages pages;
    private final ManageOrganizationsUseCase organizations;
    private final ManageMembersUseCase members;
    private final ManageRolesUseCase roles;
    private final ManageInvitationsUseCase invitations;
    private final ListAuditEventsUseCase audit;

    SettingsPages(Pages pages, ManageOrganizationsUseCase organizations, ManageMembersUseCase members,
                  ManageRolesUseCase roles, ManageInvitationsUseCase invitations, ListAuditEventsUseCase audit) {
        this.pages = pages;
        this.organizations = organizations;
        this.members = members;
        this.roles = roles;
        this.invitations = invitations;
        this.audit = audit;
    }

    void register(Router router) {
        router.get("/settings", pages.get(call -> general(call, 200, null, Form.empty(), Form.empty())));
        router.post("/settings", pages.post(this::update));
        router.post("/settings/two-factor", pages.post(this::twoFactorPolicy));
        router.post("/settings/delete", pages.post(this::delete));
        router.get("/settings/members", pages.get(this::membersGet));
        router.post("/settings/members/invite", pages.post(this::invite));
        router.post("/settings/members/{userId}/role", pages.post(this::changeRole));
        router.post("/settings/members/{userId}/remove", pages.post(this::remove));
        router.post("/settings/invitations/{id}/revoke", pages.post(this::revokeInvitation));
        router.get("/settings/roles", pages.get(call -> rolesPage(call, 200, null, Form.empty())));
        router.post("/settings/roles", pages.post(this::createRole));
        router.get("/settings/roles/{key}", pages.get(call -> roleEdit(call, 200, null, null)));
        router.post("/settings/roles/{key}", pages.post(this::updateRole));
        router.post("/settings/roles/{key}/delete", pages.post(this::deleteRole));
        router.get("/settings/audit", pages.get(this::auditPage));
    }

    // ---- general ------------------------------------------------------------------------------------------

    private void general(HttpCall call, int status, String error, Form form, Form deleteForm) {
        var signed = pages.inOrganization(call);
        var org = organizations.getOrganization(signed.caller());
        Form shown = form.values().isEmpty() ? form.with("name", org.name()).with("slug", org.slug().value()) : form;
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        long withoutSecondFactor = signed.caller().has(Permission.PROFILE_MANAGE)
                ? organizations.countMembersWithoutSecondFactor(signed.caller()) : -1;
        pages.render(call, status, "settings/general.jte", new GeneralPage(chrome, pages.tabs(signed.caller(), "general"),
                org.name(), org.slug().value(), shown, deleteForm, org.twoFactorRequired(), withoutSecondFactor));
    }

    /** Turns the organization's two-factor requirement on or off ({@code required}: true or false). */
    private void twoFactorPolicy(HttpCall call) {
        var signed = pages.inOrganization(call);
        String required = call.formParam("required").orElse("");
        if (!required.equals("true") && !required.equals("false")) {
            general(call, 422, "Choose whether to require two-factor sign-in.", Form.empty(), Form.empty());
            return;
        }
        boolean on = required.equals("true");
        try {
            organizations.updateOrganization(signed.caller(), new ManageOrganizationsUseCase.UpdateOrganizationCommand(
                    Optional.empty(), Optional.empty(), Optional.of(on)));
            call.redirect("/settings?notice=" + (on ? "two-factor-required" : "two-factor-optional"));
        } catch (ConflictException e) {
            // the one refusal: the admin has no second factor, and requiring it would lock them out
            general(call, 409, "Turn on two-factor sign-in for your own account first (Account → Two-factor "
                    + "sign-in): requiring it now would lock you out of this organization.", Form.empty(), Form.empty());
        } catch (ForbiddenException e) {
            general(call, Pages.status(call, e), e.getMessage(), Form.empty(), Form.empty());
        }
    }

    private void update(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        try {
            organizations.updateOrganization(signed.caller(), new ManageOrganizationsUseCase.UpdateOrganizationCommand(
                    Optional.of(form.value("name")), Optional.of(form.value("slug"))));
            call.redirect("/settings?notice=saved");
        } catch (InvalidInputException e) {
            general(call, 422, null, form.withErrors(e), Form.empty());
        } catch (ConflictException | ForbiddenException e) {
            general(call, Pages.status(call, e), e.getMessage(), form, Form.empty());
        }
    }

    private void delete(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        var org = organizations.getOrganization(signed.caller());
        if (!form.value("confirmName").equals(org.name())) {
            general(call, 422, null, Form.empty(), form.withErrors(List.of(new com.orgkeys.domain.shared.FieldError(
                    "confirmName", "type the organization's name exactly to confirm"))));
            return;
        }
        try {
            organizations.deleteOrganization(signed.caller());
            // Land in another organization of this user's (the first they joined), or on creating one, and say
            // which was deleted: its name travels in the sealed flash cookie, never in the URL.
            Optional<com.orgkeys.domain.organization.Organization> next =
                    organizations.listMyOrganizations(signed.caller()).stream().findFirst();
            next.ifPresent(o -> organizations.switchActiveOrganization(signed.caller(), o.id()));
            String landing = next.isPresent() ? "/agents" : "/organizations/new";
            pages.flash(call, landing, "Organization " + org.name() + " was deleted.");
            call.redirect(landing + "?notice=org-deleted");
        } catch (ForbiddenException | ConflictException e) {
            general(call, Pages.status(call, e), e.getMessage(), Form.empty(), form);
        }
    }

    // ---- members and invitations --------------------------------------------------------------------------

    private void membersPage(HttpCall call, int status, String error, Form inviteForm, String createdLink,
                             String createdEmail) {
        var signed = pages.inOrganization(call);
        var caller = signed.caller();
        if (inviteForm.value("role").isEmpty()) inviteForm = inviteForm.with("role", "org:member");
        PageRequest request = Requests.dashboardPage(call, MEMBERS_PAGE_SIZE);
        var page = Requests.firstPageOnStaleCursor(request, r -> members.listMembers(caller, r));
        boolean canManage = caller.has(Permission.MEMBERSHIPS_MANAGE);
        // only the roles the caller may give (the grant rule, as the use cases will apply it): what they could
        // not give is neither offered nor changeable, rather than refused after the choice
        Grantor grantor = new Grantor(caller.role(), caller.permissions());
        // every member sees the roles' names (people read "Member", not org:member); managers also choose among them
        Map<String, Role> orgRoles = roles.listRoles(caller).stream()
                .collect(Collectors.toMap(r -> r.key().value(), r -> r, (a, b) -> a, LinkedHashMap::new));
        Predicate<String> givable = key -> canManage && Optional.ofNullable(orgRoles.get(key))
                .map(r -> grantor.canGive(r.key(), r.permissions())).orElse(false);
        var memberRows = page.data().stream().map(m -> new MemberRow(m.userId().toString(), m.name(),
                m.email().value(), m.role().value(), roleName(orgRoles, m.role().value()), pages.time(m.joinedAt()),
                m.userId().equals(caller.userId()), givable.test(m.role().value()), m.twoFactorEnabled())).toList();
        List<InvitationRow> pending = canManage ? invitations.listPendingInvitations(caller).stream()
                .map(i -> new InvitationRow(i.id().toString(), i.email().value(), roleName(orgRoles, i.role().value()),
                        pages.time(i.createdAt()), pages.time(i.expiresAt())))
                .toList() : List.of();
        List<RoleOption> roleOptions = orgRoles.values().stream().filter(r -> givable.test(r.key().value()))
                .map(r -> new RoleOption(r.key().value(), r.name())).toList();
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        pages.render(call, status, "settings/members.jte", new MembersPage(chrome, pages.tabs(caller, "members"),
                memberRows, Pages.pager(MEMBERS_PATH, "", request, page, "Earlier", "Later"), pending, roleOptions,
                canManage, inviteForm, createdLink, createdEmail));
    }

    private void membersGet(HttpCall call) {
        Optional<String> created = pages.takeFlash(call, MEMBERS_PATH);
        int newline = created.map(c -> c.indexOf('\n')).orElse(-1);
        if (newline < 0) {
            membersPage(call, 200, null, Form.empty(), null, null);
        } else {
            membersPage(call, 200, null, Form.empty(), created.get().substring(newline + 1),
                    created.get().substring(0, newline));
        }
    }

    private void invite(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        try {
            var created = invitations.createInvitation(signed.caller(),
                    new ManageInvitationsUseCase.CreateInvitationCommand(form.value("email"), form.value("role")));
            // Post/Redirect/Get, so that a reload sends nothing again. The link carries the token, so it goes in
            // neither the redirect nor any URL: the next page of this session shows it once, from a flash cookie.
            pages.flash(call, MEMBERS_PATH, created.invitation().email().value() + "\n" + created.acceptUrl());
            call.redirect(MEMBERS_PATH + "?notice=invited");
        } catch (InvalidInputException e) {
            membersPage(call, 422, null, form.withErrors(e), null, null);
        } catch (ConflictException | ForbiddenException | NotFoundException e) {
            membersPage(call, Pages.status(call, e), e.getMessage(), form, null, null);
        }
    }

    private void changeRole(HttpCall call) {
        var signed = pages.inOrganization(call);
        var caller = signed.caller();
        UserId target = userId(call);
        String role = call.formParam("role").orElse("");
        // One's own role change can take away the very permission needed to undo it: ask first, on a page of
        // its own (so it holds without JavaScript too), unless the form says it was confirmed.
        if (target.equals(caller.userId()) && caller.has(Permission.MEMBERSHIPS_MANAGE)
                && !call.formParam("confirm").orElse("").equals("yes")) {
            String current = signed.chrome().active() == null ? "" : signed.chrome().active().role();
            List<Role> orgRoles = roles.listRoles(caller);
            Optional<Role> chosen = orgRoles.stream().filter(r -> r.key().value().equals(role)).findFirst();
            if (chosen.isPresent() && !role.equals(current)) {
                String currentName = orgRoles.stream().filter(r -> r.key().value().equals(current)).map(Role::name)
                        .findFirst().orElse(current);
                pages.render(call, 200, "settings/role_confirm.jte", new RoleConfirmPage(signed.chrome(),
                        pages.tabs(caller, "members"), target.toString(), currentName, role, chosen.get().name()));
                return;
            }
        }
        try {
            members.changeRole(caller, target, role);
            call.redirect("/settings/members?notice=role-changed");
        } catch (InvalidInputException | ConflictException | ForbiddenException | NotFoundException e) {
            membersPage(call, Pages.status(call, e), Pages.message(e), Form.empty(), null, null);
        }
    }

    private void remove(HttpCall call) {
        // not inOrganization: leaving stays open to a member held back for a missing second factor (the use case
        // refuses them anything else, and then they are sent to set one up)
        var signed = pages.signedIn(call);
        if (signed.caller().organizationId().isEmpty()) throw new Pages.Redirect("/organizations/new");
        UserId userId = userId(call);
        boolean leaving = userId.equals(signed.caller().userId());
        // Leaving cannot be undone by the one who left: ask first, on a page of its own (no script needed).
        if (leaving && !call.formParam("confirm").orElse("").equals("yes")) {
            pages.render(call, 200, "settings/leave_confirm.jte", new LeaveConfirmPage(signed.chrome(),
                    pages.tabs(signed.caller(), "members"), userId.toString(),
                    signed.chrome().active() == null ? "" : signed.chrome().active().name()));
            return;
        }
        try {
            members.removeMember(signed.caller(), userId);
            if (leaving) {
                call.redirect("/?notice=left");
            } else {
                call.redirect("/settings/members?notice=member-removed");
            }
        } catch (ConflictException | ForbiddenException | NotFoundException e) {
            String message = leaving && e instanceof ConflictException
                    ? "You cannot leave: you are the last admin of this organization. Make another member admin "
                    + "first, or delete the organization under General." : e.getMessage();
            membersPage(call, Pages.status(call, e), message, Form.empty(), null, null);
        }
    }

    private void revokeInvitation(HttpCall call) {
        var signed = pages.inOrganization(call);
        invitations.revokeInvitation(signed.caller(), Requests.pathId(call, "id", InvitationId::new, "No invitation"));
        call.redirect("/settings/members?notice=invitation-revoked");
    }

    // ---- roles --------------------------------------------------------------------------------------------

    private static RoleRow row(Role r) {
        return new RoleRow(r.key().value(), r.name(), r.permissions().stream().map(Permission::value).toList(),
                r.builtIn());
    }

    private void rolesPage(HttpCall call, int status, String error, Form form) {
        var signed = pages.inOrganization(call);
        var rows = roles.listRoles(signed.caller()).stream().map(SettingsPages::row).toList();
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        pages.render(call, status, "settings/roles.jte", new RolesPage(chrome, pages.tabs(signed.caller(), "roles"),
                rows, ALL_PERMISSIONS, signed.caller().has(Permission.MEMBERSHIPS_MANAGE), form));
    }

    private void createRole(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        try {
            roles.createRole(signed.caller(), new ManageRolesUseCase.CreateRoleCommand(form.value("key"),
                    form.value("name"), call.formParams("permissions")));
            call.redirect("/settings/roles?notice=role-created");
        } catch (InvalidInputException e) {
            rolesPage(call, 422, null, form.withErrors(e));
        } catch (ConflictException | ForbiddenException e) {
            rolesPage(call, Pages.status(call, e), e.getMessage(), form);
        }
    }

    private void roleEdit(HttpCall call, int status, String error, Form submitted) {
        var signed = pages.inOrganization(call);
        String key = call.pathParam("key");
        Role role = roles.listRoles(signed.caller()).stream().filter(r -> r.key().value().equals(key)).findFirst()
                .orElseThrow(() -> new NotFoundException("No role " + key + "."));
        if (role.builtIn()) throw new ConflictException("Built-in roles cannot be changed.");
        Form form = submitted;
        if (form == null) {
            form = Form.empty().with("name", role.name());
            var values = new java.util.LinkedHashMap<>(form.values());
            values.put("permissions", role.permissions().stream().map(Permission::value).toList());
            form = new Form(values, java.util.Map.of());
        }
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        pages.render(call, status, "settings/role_edit.jte",
                new RoleEditPage(chrome, pages.tabs(signed.caller(), "roles"), row(role), ALL_PERMISSIONS, form));
    }

    private void updateRole(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        try {
            roles.updateRole(signed.caller(), call.pathParam("key"), new ManageRolesUseCase.UpdateRoleCommand(
                    Optional.of(form.value("name")), Optional.of(call.formParams("permissions"))));
            call.redirect("/settings/roles?notice=role-saved");
        } catch (InvalidInputException e) {
            roleEdit(call, 422, null, form.withErrors(e));
        } catch (ConflictException | ForbiddenException e) {
            roleEdit(call, Pages.status(call, e), e.getMessage(), form);
        }
    }

    private void deleteRole(HttpCall call) {
        var signed = pages.inOrganization(call);
        try {
            roles.deleteRole(signed.caller(), call.pathParam("key"));
            call.redirect("/settings/roles?notice=role-deleted");
        } catch (ConflictException | ForbiddenException | NotFoundException e) {
            rolesPage(call, Pages.status(call, e), e.getMessage(), Form.empty());
        }
    }

    // ---- audit --------------------------------------------------------------------------------------------

    private void auditPage(HttpCall call) {
        var signed = pages.inOrganization(call);
        var caller = signed.caller();
        String action = call.queryParam("action").orElse("").strip();
        String actor = call.queryParam("actor").orElse("").strip();
        Form form = Form.empty().with("action", action).with("actor", actor);
        var chrome = signed.chrome();
        AuditFilter filter = AuditFilter.NONE;
        try {
            filter = AuditFilter.of(action, actor);
        } catch (InvalidInputException e) {
            form = form.withErrors(e); // the whole log then, with the refused filter marked on its field
        }
        AuditFilter chosen = filter;
        PageRequest request = Requests.dashboardPage(call, AUDIT_PAGE_SIZE);
        var page = Requests.firstPageOnStaleCursor(request, r -> audit.listNamedAuditEvents(caller, chosen, r));
        Map<String, String> roleNames = roles.listRoles(caller).stream()
                .collect(Collectors.toMap(r -> r.key().value(), Role::name, (a, b) -> a));
        var rows = page.data().stream().map(e -> auditRow(e, roleNames)).toList();
        // who can be chosen: the members (a first page of them), and whoever the link chose (an API key, a former member)
        Map<String, String> actors = new LinkedHashMap<>();
        members.listMembers(caller, PageRequest.first(AUDIT_ACTOR_CHOICES)).data().forEach(m -> actors.put(
                "user:" + m.userId(), m.name().isBlank() ? m.email().value() : m.name() + " (" + m.email().value() + ")"));
        chosen.actor().ifPresent(a -> actors.putIfAbsent(a.value(), page.data().stream()
                .filter(e -> e.event().actor().equals(a)).map(ListAuditEventsUseCase.NamedAuditEvent::actorName)
                .findFirst().orElse(a.value())));
        List<String> actions = new ArrayList<>(AUDIT_ACTIONS);
        chosen.action().filter(a -> !actions.contains(a)).ifPresent(actions::add);
        String query = (chosen.action().isPresent() ? "action=" + Pages.encode(action) : "")
                + (chosen.action().isPresent() && chosen.actor().isPresent() ? "&" : "")
                + (chosen.actor().isPresent() ? "actor=" + Pages.encode(actor) : "");
        pages.render(call, form.errors().isEmpty() ? 200 : 422, "settings/audit.jte", new AuditPage(chrome,
                pages.tabs(caller, "audit"), rows, Pages.pager("/settings/audit", query, request, page, "Newer", "Older"),
                form, actions, actors.entrySet().stream().map(a -> new RoleOption(a.getKey(), a.getValue())).toList(),
                !chosen.equals(AuditFilter.NONE)));
    }

    /** A row: names instead of ids, a link to the target where it has a page, role keys in details read as names. */
    private AuditRow auditRow(ListAuditEventsUseCase.NamedAuditEvent named, Map<String, String> roleNames) {
        AuditEvent e = named.event();
        String targetUrl = null;
        if (named.targetExists()) {
            String kind = e.targetRef().map(r -> r.substring(0, r.indexOf(':'))).orElse("");
            targetUrl = switch (kind) {
                case "user", "invitation" -> MEMBERS_PATH;
                case "api_key" -> "/settings/api-keys?query=" + Pages.encode(named.targetName().orElse(""));
                case "role" -> Role.BUILT_IN.stream().anyMatch(r -> r.key().value().equals(e.target()))
                        ? "/settings/roles" : "/settings/roles/" + e.target();
                case "organization" -> "/settings";
                default -> null;
            };
        }
        return new AuditRow(pages.time(e.occurredAt()), named.actorName(), "/settings/audit?actor=" + Pages.encode(e.actor().value()),
                e.action(), named.targetName().orElse(""), targetUrl, roleNamesIn(e.details(), roleNames));
    }

    /** Details as people read them: role keys ("org:member") replaced by the roles' names ("Member"). */
    static String roleNamesIn(String details, Map<String, String> roleNames) {
        Matcher key = ROLE_KEY.matcher(details);
        return key.replaceAll(m -> Matcher.quoteReplacement(roleNames.getOrDefault(m.group(), m.group())));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** The name people read for a role key; the key itself for a role deleted since. */
    static String roleName(Map<String, Role> roles, String key) {
        Role role = roles.get(key);
        return role == null ? key : role.name();
    }

    private static UserId userId(HttpCall call) {
        return Requests.pathId(call, "userId", UserId::new, "No member");
    }

}
