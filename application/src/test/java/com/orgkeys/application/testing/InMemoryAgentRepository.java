package com.orgkeys.application.testing;

import com.orgkeys.application.agent.port.out.AgentRepository;
import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.agent.AgentId;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

public final class InMemoryAgentRepository implements AgentRepository {
    /** As the SQL orders: created_at descending, then the insertion sequence descending. */
    private static final Comparator<InMemoryStore.AgentRow> NEWEST_FIRST = Comparator
            .comparing((InMemoryStore.AgentRow r) -> r.agent().createdAt())
            .thenComparingLong(InMemoryStore.AgentRow::seq).reversed();

    /** The same order on cursor keys, whose tie-breaker is the sequence number in decimal. */
    private static final Comparator<Cursor.Key> KEY_ORDER = Cursor.Key.order(true, Comparator.comparingLong(Long::parseLong));

    private final InMemoryStore store;

    public InMemoryAgentRepository(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public List<Boolean> insertAll(List<Agent> agents) {
        return store.writeAndAnswer(() -> {
            for (Agent agent : agents) { // all or nothing: every organization is checked before anything is written
                InMemoryStore.requireReference(store.organizations().containsKey(agent.organizationId()), "organization");
            }
            List<Boolean> inserted = new ArrayList<>(agents.size());
            for (Agent agent : agents) {
                var key = new InMemoryStore.AgentKey(agent.organizationId(), agent.id());
                boolean taken = store.agents().containsKey(key);
                if (!taken) store.agents().put(key, new InMemoryStore.AgentRow(agent, store.nextAgentSeq()));
                inserted.add(!taken);
            }
            return inserted;
        });
    }

    @Override
    public Optional<Agent> find(OrganizationId organizationId, AgentId id) {
        return store.read(() -> Optional.ofNullable(store.agents().get(new InMemoryStore.AgentKey(organizationId, id)))
                .map(InMemoryStore.AgentRow::agent));
    }

    @Override
    public Page<Agent> page(OrganizationId organizationId, String text, PageRequest page) {
        return store.read(() -> Page.of(store.agents().values().stream()
                .filter(r -> r.agent().organizationId().equals(organizationId))
                .filter(r -> matchesText(r.agent(), text))
                .sorted(NEWEST_FIRST).toList(), page,
                r -> new Cursor.Key(r.agent().createdAt(), Long.toString(r.seq())), KEY_ORDER,
                Cursor.list("agents", organizationId, text), Page.countCap(text)).map(InMemoryStore.AgentRow::agent));
    }

    /** ILIKE '%text%' with % and _ escaped over name and description (a case-insensitive substring), or the exact id. */
    private static boolean matchesText(Agent agent, String text) {
        if (text == null) return true;
        String needle = text.toLowerCase(Locale.ROOT);
        return agent.name().toLowerCase(Locale.ROOT).contains(needle)
                || agent.description().toLowerCase(Locale.ROOT).contains(needle)
                || agent.id().value().equals(text);
    }

    @Override
    public boolean delete(OrganizationId organizationId, AgentId id) {
        return store.writeAndAnswer(() -> store.agents().remove(new InMemoryStore.AgentKey(organizationId, id)) != null);
    }
}
