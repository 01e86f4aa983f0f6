package com.orgkeys.application.testing;

import com.orgkeys.application.organization.port.out.OrganizationRepository;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.organization.OrganizationMetadata;
import com.orgkeys.domain.organization.OrganizationOrder;
import com.orgkeys.domain.organization.Slug;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class InMemoryOrganizationRepository implements OrganizationRepository {
    private final InMemoryStore store;

    public InMemoryOrganizationRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void insert(Organization organization) {
        store.write(() -> {
            if (store.organizations().containsKey(organization.id())) throw new ConflictException("already exists");
            requireFreeSlug(organization);
            store.organizations().put(organization.id(), organization);
        });
    }

    @Override
    public Optional<Organization> findById(OrganizationId id) {
        return store.read(() -> Optional.ofNullable(store.organizations().get(id)));
    }

    @Override
    public Optional<Organization> findBySlug(Slug slug) {
        return store.read(() -> store.organizations().values().stream().filter(o -> o.slug().equals(slug)).findFirst());
    }

    @Override
    public Page<Organization> page(Optional<String> text, OrganizationOrder order, PageRequest page) {
        Comparator<Organization> byCreation = Comparator.comparing(Organization::createdAt)
                .thenComparing(o -> o.id().value().toString());
        Comparator<Organization> byName = Comparator.comparing(Organization::name)
                .thenComparing(o -> o.id().value().toString());
        Comparator<Organization> comparator = switch (order) {
            case NEWEST_FIRST -> byCreation.reversed();
            case OLDEST_FIRST -> byCreation;
            case NAME -> byName;
            case NAME_DESCENDING -> byName.reversed();
        };
        List<Organization> all = store.read(() -> store.organizations().values().stream()
                .filter(o -> text.isEmpty() || (o.name() + " " + o.slug()).toLowerCase(Locale.ROOT)
                        .contains(text.get().toLowerCase(Locale.ROOT)))
                .sorted(comparator).toList());
        long total = Math.min(all.size(), Page.COUNT_CAP);
        List<Organization> rows = all.stream().skip(page.offset()).limit(page.pageSize()).toList();
        return new Page<>(rows, total, all.size() <= Page.COUNT_CAP, Optional.empty(), Optional.empty());
    }

    @Override
    public boolean slugExists(Slug slug) {
        return store.read(() -> store.organizations().values().stream().anyMatch(o -> o.slug().equals(slug)));
    }

    @Override
    public void update(Organization organization) {
        store.write(() -> {
            if (!store.organizations().containsKey(organization.id())) return; // UPDATE of no row
            requireFreeSlug(organization);
            store.organizations().put(organization.id(), organization);
        });
    }

    /** Cascades as the foreign keys of the schema do. */
    @Override
    public List<String> delete(OrganizationId id) {
        List<String> secretHashes = new ArrayList<>();
        store.write(() -> {
            if (store.organizations().remove(id) == null) return;
            store.organizationMetadata().remove(id);
            store.apiKeys().values().stream().filter(k -> k.organizationId().equals(id)).forEach(k -> secretHashes.addAll(k.secretHashes()));
            store.memberships().values().removeIf(m -> m.organizationId().equals(id));
            store.roles().keySet().removeIf(r -> r.organizationId().equals(id));
            store.invitations().values().removeIf(i -> i.organizationId().equals(id));
            store.auditEvents().removeIf(e -> e.organizationId().equals(id));
            store.apiKeys().values().removeIf(k -> k.organizationId().equals(id));
            store.agents().keySet().removeIf(a -> a.organizationId().equals(id));
            InMemoryWebhookEndpointRepository.cascade(store,
                    e -> e.organization().equals(Optional.of(id)), m -> m.organization().equals(Optional.of(id)));
            store.sessions().replaceAll((k, s) -> s.activeOrganization().equals(Optional.of(id))
                    ? s.withActiveOrganization(null) : s);
        });
        return secretHashes;
    }

    @Override
    public Optional<OrganizationMetadata> metadata(OrganizationId id) {
        return store.read(() -> store.organizations().containsKey(id)
                ? Optional.of(store.organizationMetadata().getOrDefault(id, OrganizationMetadata.EMPTY)) : Optional.empty());
    }

    @Override
    public Map<OrganizationId, OrganizationMetadata> metadata(Collection<OrganizationId> ids) {
        Map<OrganizationId, OrganizationMetadata> found = new HashMap<>();
        for (OrganizationId id : ids) metadata(id).ifPresent(m -> found.put(id, m));
        return found;
    }

    /** Transactions of the fakes are already serialized; the lock is the read. */
    @Override
    public Optional<OrganizationMetadata> lockMetadata(OrganizationId id) {
        return metadata(id);
    }

    @Override
    public boolean updateMetadata(OrganizationId id, OrganizationMetadata metadata) {
        return store.writeAndAnswer(() -> {
            if (!store.organizations().containsKey(id)) return false;
            store.organizationMetadata().put(id, metadata);
            return true;
        });
    }

    /** Transactions of the fakes are already serialized by {@link InMemoryTransactionRunner}; only check existence. */
    @Override
    public void lock(OrganizationId id) {
        if (findById(id).isEmpty()) throw new NotFoundException("No organization " + id + ".");
    }

    private void requireFreeSlug(Organization organization) {
        boolean taken = store.organizations().values().stream()
                .anyMatch(o -> o.slug().equals(organization.slug()) && !o.id().equals(organization.id()));
        if (taken) throw new ConflictException("Slug is taken.");
    }
}
