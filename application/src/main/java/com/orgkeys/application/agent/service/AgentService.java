package com.orgkeys.application.agent.service;

import com.orgkeys.application.agent.port.in.ManageAgentsUseCase;
import com.orgkeys.application.agent.port.out.AgentRepository;
import com.orgkeys.application.membership.service.Grants;
import com.orgkeys.application.shared.Batcher;
import com.orgkeys.application.shared.ReadCoalescer;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.agent.AgentId;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import static com.orgkeys.domain.shared.Validation.collect;
import static com.orgkeys.domain.shared.Validation.throwIfAny;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.shared.Text;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

public final class AgentService implements ManageAgentsUseCase {
    private final AgentRepository agents;
    private final Grants grants;
    private final Clock clock;
    /** A fleet polling one organization's agents shares the query of its page. */
    private final ReadCoalescer<PageKey, Page<Agent>> pageReads;
    /** Creations arriving together share one INSERT and one commit; each answer: null (inserted) or its failure. */
    private final Batcher<Agent, RuntimeException> inserts;
    /** At most this many agents per INSERT, and INSERTs at once. */
    static final int INSERT_BATCH = 64;
    static final int INSERTS_AT_ONCE = 2;

    private record PageKey(OrganizationId organizationId, String text, PageRequest page) {
    }

    public AgentService(AgentRepository agents, Grants grants, TransactionRunner tx, Clock clock) {
        this.agents = agents;
        this.grants = grants;
        this.clock = clock;
        this.pageReads = new ReadCoalescer<>(tx);
        this.inserts = new Batcher<>(tx, INSERT_BATCH, INSERTS_AT_ONCE, this::insertTogether);
    }

    @Override
    public Page<Agent> listAgents(Caller caller, String query, PageRequest page) {
        OrganizationId org = caller.require(Permission.AGENTS_READ);
        // a search is text like any other field, as the API key search: at most 100 characters, no control characters
        String text = query == null || query.isBlank() ? null : Text.singleLine("text", query, 100);
        return pageReads.read(new PageKey(org, text, page), () -> agents.page(org, text, page));
    }

    @Override
    public Agent getAgent(Caller caller, String id) {
        OrganizationId org = caller.require(Permission.AGENTS_READ);
        return agents.find(org, existingId(id)).orElseThrow(() -> notFound(id));
    }

    @Override
    public Agent createAgent(Caller caller, CreateAgentCommand command) {
        OrganizationId org = caller.require(Permission.AGENTS_MANAGE);
        List<FieldError> errors = new ArrayList<>();
        AgentId id = command.id() == null ? AgentId.generate() : collect(errors, () -> new AgentId(command.id()));
        // a stand-in for a refused id, so that the agent checks its other fields too: every problem in one answer
        AgentId idOrStandIn = id != null ? id : AgentId.generate();
        Agent agent = collect(errors, () -> new Agent(idOrStandIn, org, command.name(), command.description(),
                command.model(), clock.instant(), caller.actor()));
        throwIfAny(errors);
        grants.requireNow(caller, org, Permission.AGENTS_MANAGE);
        RuntimeException failure = inserts.submit(agent);
        if (failure != null) throw failure;
        return agent;
    }

    /**
     * One INSERT for the batch; when it fails on a conflict (an organization deleted meanwhile), one each, so that
     * only the agents it concerns fail.
     */
    List<RuntimeException> insertTogether(List<Agent> batch) {
        List<RuntimeException> failures = new ArrayList<>(batch.size());
        try {
            List<Boolean> inserted = agents.insertAll(batch);
            for (int i = 0; i < batch.size(); i++) failures.add(inserted.get(i) ? null : taken(batch.get(i)));
            return failures;
        } catch (ConflictException e) {
            if (batch.size() == 1) throw e;
        }
        for (Agent agent : batch) {
            try {
                failures.add(agents.insertAll(List.of(agent)).getFirst() ? null : taken(agent));
            } catch (ConflictException e) {
                failures.add(e);
            }
        }
        return failures;
    }

    private static ConflictException taken(Agent agent) {
        return new ConflictException("An agent with id " + agent.id() + " already exists.");
    }

    @Override
    public void deleteAgent(Caller caller, String id) {
        OrganizationId org = caller.require(Permission.AGENTS_MANAGE);
        AgentId agentId = existingId(id);
        grants.requireNow(caller, org, Permission.AGENTS_MANAGE);
        if (!agents.delete(org, agentId)) throw notFound(id);
    }

    private static AgentId existingId(String id) {
        try {
            return new AgentId(id);
        } catch (InvalidInputException e) {
            throw notFound(id); // a malformed id names nothing that exists
        }
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("No agent " + id + ".");
    }

}
