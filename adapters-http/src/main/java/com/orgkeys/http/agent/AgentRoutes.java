package com.orgkeys.http.agent;

import com.orgkeys.application.agent.port.in.ManageAgentsUseCase;
import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.http.auth.Authenticator;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.FieldNames;
import com.orgkeys.http.shared.JsonBodies;
import com.orgkeys.http.shared.Requests;

import java.time.Instant;

/** {@code /api/agents}: reachable with a session cookie or an API key, each confined to its organization. */
public final class AgentRoutes {
    record CreateRequest(String id, String name, String description, String model) {
    }

    /** The body of the compatibility form {@code DELETE /api/agents}. */
    record DeleteRequest(String agentId) {
    }

    record AgentJson(String id, String name, String description, String model, Instant createdAt, String createdBy) {
        static AgentJson of(Agent a) {
            return new AgentJson(a.id().value(), a.name(), a.description(), a.model(), a.createdAt(),
                    JsonBodies.actorId(a.createdBy()));
        }
    }

    /** The list's search is the core's {@code text}, the API's {@code query} (as for API keys). */
    private static final FieldNames SEARCH_FIELDS = FieldNames.of("text", "query");

    private final ManageAgentsUseCase agents;
    private final Authenticator auth;

    public AgentRoutes(ManageAgentsUseCase agents, Authenticator auth) {
        this.agents = agents;
        this.auth = auth;
    }

    public void register(Router router) {
        router.get("/api/agents", Access.USER_OR_API_KEY, this::list);
        router.post("/api/agents", Access.USER_OR_API_KEY, this::create);
        router.delete("/api/agents", Access.USER_OR_API_KEY, this::deleteByBody);
        router.get("/api/agents/{id}", Access.USER_OR_API_KEY, this::get);
        router.delete("/api/agents/{id}", Access.USER_OR_API_KEY, this::delete);
    }

    private void list(HttpCall call) {
        var caller = auth.requireCaller(call);
        var page = Requests.page(call);
        call.json(200, JsonBodies.PageJson.of(SEARCH_FIELDS.call(() -> agents.listAgents(caller,
                call.queryParam("query").orElse(null), page)).map(AgentJson::of)));
    }

    private void get(HttpCall call) {
        call.json(200, AgentJson.of(agents.getAgent(auth.requireCaller(call), call.pathParam("id"))));
    }

    private void create(HttpCall call) {
        var caller = auth.requireCaller(call);
        CreateRequest body = call.body(CreateRequest.class);
        Agent agent = agents.createAgent(caller, new ManageAgentsUseCase.CreateAgentCommand(body.id(), body.name(),
                body.description(), body.model()));
        call.setHeader("Location", "/api/agents/" + agent.id());
        call.json(201, AgentJson.of(agent));
    }

    private void delete(HttpCall call) {
        agents.deleteAgent(auth.requireCaller(call), call.pathParam("id"));
        call.noContent();
    }

    private void deleteByBody(HttpCall call) {
        var caller = auth.requireCaller(call);
        DeleteRequest body = call.body(DeleteRequest.class);
        if (body.agentId() == null) throw new InvalidInputException("agentId", "is required");
        agents.deleteAgent(caller, body.agentId());
        call.noContent();
    }
}
