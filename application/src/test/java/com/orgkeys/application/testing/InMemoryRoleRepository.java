package com.orgkeys.application.testing;

import com.orgkeys.application.membership.port.out.RoleRepository;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

public final class InMemoryRoleRepository implements RoleRepository {
    private final InMemoryStore store;

    public InMemoryRoleRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public List<Role> list(OrganizationId organizationId) {
        return store.read(() -> store.roles().entrySet().stream()
                .filter(e -> e.getKey().organizationId().equals(organizationId)).map(java.util.Map.Entry::getValue)
                .sorted(Comparator.comparing(r -> r.key().value())).toList());
    }

    @Override
    public Optional<Role> find(OrganizationId organizationId, RoleKey key) {
        return store.read(() -> Optional.ofNullable(store.roles().get(new InMemoryStore.RoleId(organizationId, key))));
    }

    @Override
    public void insert(OrganizationId organizationId, Role role) {
        store.write(() -> {
            InMemoryStore.requireReference(store.organizations().containsKey(organizationId), "organization");
            if (role.createdAt().isEmpty()) throw new IllegalArgumentException("a stored role has createdAt");
            if (store.roles().putIfAbsent(new InMemoryStore.RoleId(organizationId, role.key()), stored(role)) != null) {
                throw new ConflictException("A role with key " + role.key() + " already exists.");
            }
        });
    }

    @Override
    public void update(OrganizationId organizationId, Role role) {
        store.write(() -> store.roles().computeIfPresent(new InMemoryStore.RoleId(organizationId, role.key()),
                (k, r) -> new Role(r.key(), role.name(), role.permissions(), false, r.createdAt())));
    }

    @Override
    public void delete(OrganizationId organizationId, RoleKey key) {
        store.write(() -> store.roles().remove(new InMemoryStore.RoleId(organizationId, key)));
    }

    /** Only custom roles are stored, and they read back as custom, as from the database. */
    private static Role stored(Role role) {
        return new Role(role.key(), role.name(), role.permissions(), false, role.createdAt());
    }
}
