package com.orgkeys.persistence.membership;

import com.orgkeys.application.membership.port.out.RoleRepository;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

public final class JdbcRoleRepository implements RoleRepository {
    private final Jdbc jdbc;

    public JdbcRoleRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Role> list(OrganizationId organizationId) {
        return jdbc.list("""
                SELECT key, name, permissions, created_at
                  FROM roles
                 WHERE organization_id = ?
                 ORDER BY key COLLATE "C\"""",
                JdbcRoleRepository::role, organizationId.value());
    }

    @Override
    public Optional<Role> find(OrganizationId organizationId, RoleKey key) {
        return jdbc.one("""
                SELECT key, name, permissions, created_at
                  FROM roles
                 WHERE organization_id = ? AND key = ?""",
                JdbcRoleRepository::role, organizationId.value(), key.value());
    }

    @Override
    public void insert(OrganizationId organizationId, Role role) {
        try {
            jdbc.update("""
                    INSERT INTO roles (organization_id, key, name, permissions, created_at)
                    VALUES (?, ?, ?, ?, ?)""",
                    organizationId.value(), role.key().value(), role.name(), values(role),
                    role.createdAt().orElseThrow(() -> new IllegalArgumentException("a stored role has createdAt")));
        } catch (ConflictException e) {
            throw new ConflictException("A role with key " + role.key() + " already exists.");
        }
    }

    @Override
    public void update(OrganizationId organizationId, Role role) {
        jdbc.update("UPDATE roles SET name = ?, permissions = ? WHERE organization_id = ? AND key = ?",
                role.name(), values(role), organizationId.value(), role.key().value());
    }

    @Override
    public void delete(OrganizationId organizationId, RoleKey key) {
        jdbc.update("DELETE FROM roles WHERE organization_id = ? AND key = ?", organizationId.value(), key.value());
    }

    private static List<String> values(Role role) {
        return role.permissions().stream().map(Permission::value).toList();
    }

    private static Role role(ResultSet row) throws SQLException {
        return new Role(new RoleKey(row.getString("key")), row.getString("name"),
                Jdbc.strings(row, "permissions").stream().map(Permission::new).collect(Collectors.toSet()),
                false, Optional.of(Jdbc.instant(row, "created_at")));
    }
}
