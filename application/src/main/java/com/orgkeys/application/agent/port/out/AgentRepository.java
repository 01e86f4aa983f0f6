package com.orgkeys.application.agent.port.out;

import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.agent.AgentId;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.List;
import java.util.Optional;

public interface AgentRepository {
    /**
     * Inserts {@code agents} in one transaction, in their order, each unless its organization has an agent with its
     * id already (perhaps one earlier in the list).
     *
     * @return for each agent, whether it was inserted
     * @throws com.orgkeys.domain.shared.ConflictException when an organization does not exist (nothing is inserted)
     */
    List<Boolean> insertAll(List<Agent> agents);

    /** @throws com.orgkeys.domain.shared.ConflictException when the organization has an agent with that id */
    default void insert(Agent agent) {
        if (!insertAll(List.of(agent)).getFirst()) throw new ConflictException("already exists");
    }

    Optional<Agent> find(OrganizationId organizationId, AgentId id);

    /** Newest first; {@code text} matches name or description (case-insensitive) or the exact id; null = any. */
    Page<Agent> page(OrganizationId organizationId, String text, PageRequest page);

    default Page<Agent> page(OrganizationId organizationId, PageRequest page) {
        return page(organizationId, null, page);
    }

    /** @return false when the organization has no such agent */
    boolean delete(OrganizationId organizationId, AgentId id);
}
