package com.orgkeys.application.membership.port.in;

import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.membership.Role;

import java.util.List;
import java.util.Optional;

/** Built-in and custom roles; only custom ones can be created, changed and (when unused) deleted. */
public interface ManageRolesUseCase {
    record CreateRoleCommand(String key, String name, List<String> permissions) {
    }

    record UpdateRoleCommand(Optional<String> name, Optional<List<String>> permissions) {
    }

    List<Role> listRoles(Caller caller);

    Role createRole(Caller caller, CreateRoleCommand command);

    Role updateRole(Caller caller, String key, UpdateRoleCommand command);

    void deleteRole(Caller caller, String key);
}
