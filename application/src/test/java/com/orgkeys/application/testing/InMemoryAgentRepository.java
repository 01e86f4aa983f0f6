package com.orgkeys.application.testing;

import com.orgkeys.application.agent.port.out.AgentRepository;
import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.agent.AgentId;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.Comparator;
import java.util.Optional;

public final class InMemoryAgentRepository implements AgentRepository {
    /** As the SQL orders: created_at descending, then the insertion sequence descending. */
    private static final Comparator<InMemoryStore.AgentRow> NEWEST_FIRST = Comparator
            .comparing((InMemoryStore.AgentRow r) -> r.agent().createdAt())
            .thenComparingLong(InMemoryStore.AgentRow::seq).reversed();

    private final InMemoryStore store;

    public InMemoryAgentRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public void insert(Agent agent) {
        store.write(() -> {
            InMemoryStore.requireReference(store.organizations().containsKey(agent.organizationId()), "organization");
            var key = new InMemoryStore.AgentKey(agent.organizationId(), agent.id());
            if (store.agents().containsKey(key)) throw new ConflictException("already exists");
            store.agents().put(key, new InMemoryStore.AgentRow(agent, store.nextAgentSeq()));
        });
    }

    @Override
    public Optional<Agent> find(OrganizationId organizationId, AgentId id) {
        return store.read(() -> Optional.ofNullable(store.agents().get(new InMemoryStore.AgentKey(organizationId, id)))
                .map(InMemoryStore.AgentRow::agent));
    }

    @Override
    public Page<Agent> page(OrganizationId organizationId, PageRequest page) {
        return store.read(() -> Page.of(store.agents().values().stream()
                .filter(r -> r.agent().organizationId().equals(organizationId))
                .sorted(NEWEST_FIRST).map(InMemoryStore.AgentRow::agent).toList(), page));
    }

    @Override
    public boolean delete(OrganizationId organizationId, AgentId id) {
        return store.writeAndAnswer(() -> store.agents().remove(new InMemoryStore.AgentKey(organizationId, id)) != null);
    }
}
