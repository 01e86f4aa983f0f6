package com.orgkeys.http.membership;

import com.orgkeys.application.membership.port.in.ManageMembersUseCase;
import com.orgkeys.application.membership.port.in.ManageRolesUseCase;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.JsonBodies;
import com.orgkeys.http.shared.Requests;
import com.orgkeys.http.shared.JsonBodies.MemberJson;
import com.orgkeys.http.shared.JsonBodies.RoleJson;

import java.util.List;
import java.util.Optional;

/** Members of the active organization and its roles. */
public final class MembershipRoutes {
    record ChangeRoleRequest(String role) {
    }

    record CreateRoleRequest(String key, String name, List<String> permissions) {
    }

    record UpdateRoleRequest(String name, List<String> permissions) {
    }

    private final ManageMembersUseCase members;
    private final ManageRolesUseCase roles;
    private final Authenticator auth;

    public MembershipRoutes(ManageMembersUseCase members, ManageRolesUseCase roles, Authenticator auth) {
        this.members = members;
        this.roles = roles;
        this.auth = auth;
    }

    public void register(Router router) {
        router.get("/api/members", Access.USER, this::listMembers);
        router.patch("/api/members/{userId}", Access.USER, this::changeRole);
        router.delete("/api/members/{userId}", Access.USER, this::removeMember);
        router.get("/api/roles", Access.USER_OR_API_KEY, this::listRoles);
        router.post("/api/roles", Access.USER, this::createRole);
        router.patch("/api/roles/{key}", Access.USER, this::updateRole);
        router.delete("/api/roles/{key}", Access.USER, this::deleteRole);
    }

    private void listMembers(HttpCall call) {
        call.json(200, JsonBodies.PageJson.of(members.listMembers(auth.requireCaller(call), Requests.page(call))
                .map(MemberJson::of)));
    }

    private void changeRole(HttpCall call) {
        var caller = auth.requireCaller(call);
        UserId userId = userId(call);
        ChangeRoleRequest body = call.body(ChangeRoleRequest.class);
        if (body.role() == null) throw new InvalidInputException("role", "is required");
        call.json(200, MemberJson.of(members.changeRole(caller, userId, body.role())));
    }

    private void removeMember(HttpCall call) {
        members.removeMember(auth.requireCaller(call), userId(call));
        call.noContent();
    }

    private void listRoles(HttpCall call) {
        call.json(200, new JsonBodies.ListJson<>(roles.listRoles(auth.requireCaller(call)).stream()
                .map(RoleJson::of).toList()));
    }

    private void createRole(HttpCall call) {
        var caller = auth.requireCaller(call);
        CreateRoleRequest body = call.body(CreateRoleRequest.class);
        call.json(201, RoleJson.of(roles.createRole(caller,
                new ManageRolesUseCase.CreateRoleCommand(body.key(), body.name(), body.permissions()))));
    }

    private void updateRole(HttpCall call) {
        var caller = auth.requireCaller(call);
        UpdateRoleRequest body = call.body(UpdateRoleRequest.class);
        call.json(200, RoleJson.of(roles.updateRole(caller, call.pathParam("key"),
                new ManageRolesUseCase.UpdateRoleCommand(Optional.ofNullable(body.name()),
                        Optional.ofNullable(body.permissions())))));
    }

    private void deleteRole(HttpCall call) {
        roles.deleteRole(auth.requireCaller(call), call.pathParam("key"));
        call.noContent();
    }

    private static UserId userId(HttpCall call) {
        return Requests.pathId(call, "userId", UserId::new, "No member");
    }
}
