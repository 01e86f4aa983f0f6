package com.orgkeys.application.agent.port.in;

import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

/** The organization's agents, for sessions and API keys alike. */
public interface ManageAgentsUseCase {
    record CreateAgentCommand(String id, String name, String description, String model) {
    }

    /** {@code text}: a search (name or description, case-insensitive, or the exact id), or null for every agent. */
    Page<Agent> listAgents(Caller caller, String text, PageRequest page);

    default Page<Agent> listAgents(Caller caller, PageRequest page) {
        return listAgents(caller, null, page);
    }

    Agent getAgent(Caller caller, String id);

    Agent createAgent(Caller caller, CreateAgentCommand command);

    void deleteAgent(Caller caller, String id);
}
