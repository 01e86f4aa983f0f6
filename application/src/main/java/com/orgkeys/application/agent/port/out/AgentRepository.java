package com.orgkeys.application.agent.port.out;

import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.agent.AgentId;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.Optional;

public interface AgentRepository {
    /** @throws com.orgkeys.domain.shared.ConflictException when the organization has an agent with that id */
    void insert(Agent agent);

    Optional<Agent> find(OrganizationId organizationId, AgentId id);

    /** Newest first; {@code text} matches name, description or id (case-insensitive); null = any. */
    Page<Agent> page(OrganizationId organizationId, String text, PageRequest page);

    default Page<Agent> page(OrganizationId organizationId, PageRequest page) {
        return page(organizationId, null, page);
    }

    /** @return false when the organization has no such agent */
    boolean delete(OrganizationId organizationId, AgentId id);
}
