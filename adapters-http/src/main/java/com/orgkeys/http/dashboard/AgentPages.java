package com.orgkeys.http.dashboard;

import com.orgkeys.application.agent.port.in.ManageAgentsUseCase;
import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.http.dashboard.PageModels.AgentRow;
import com.orgkeys.http.dashboard.PageModels.AgentsPage;
import com.orgkeys.http.dashboard.PageModels.Form;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;
import com.orgkeys.http.shared.FieldNames;
import com.orgkeys.http.shared.Requests;

import java.util.List;

/** The organization's agents: list, create, delete, and how to call the API with a key. */
final class AgentPages {
    private static final int PAGE_SIZE = 20;
    /** The search box is the core's {@code text}. */
    private static final FieldNames SEARCH_FIELDS = FieldNames.of("text", "query");
    private final Pages pages;
    private final ManageAgentsUseCase agents;

    AgentPages(Pages pages, ManageAgentsUseCase agents) {
        this.pages = pages;
        this.agents = agents;
    }

    void register(Router router) {
        router.get("/agents", pages.get(call -> list(call, 200, null, Form.empty())));
        router.post("/agents", pages.post(this::create));
        router.post("/agents/{id}/delete", pages.post(this::delete));
    }

    private void list(HttpCall call, int status, String error, Form form) {
        var signed = pages.inOrganization(call);
        String query = call.queryParam("query").orElse("").strip();
        PageRequest request = Requests.dashboardPage(call, PAGE_SIZE);
        var chrome = error == null ? signed.chrome() : signed.chrome().withError(error);
        Page<Agent> page = new Page<>(List.of(), 0);
        try {
            page = SEARCH_FIELDS.call(() -> Requests.firstPageOnStaleCursor(request,
                    r -> agents.listAgents(signed.caller(), query.isEmpty() ? null : query, r)));
        } catch (InvalidInputException e) {
            chrome = chrome.withError(Pages.message(e));
        }
        var rows = page.data().stream().map(a -> new AgentRow(a.id().value(), a.name(), a.description(), a.model(),
                pages.time(a.createdAt()))).toList();
        String origin = pages.publicOrigin().toString().replaceAll("/+$", "");
        String curl = "curl -H \"Authorization: Bearer $ORGKEYS_API_KEY\" " + origin + "/api/agents";
        pages.render(call, status, "agents.jte", new AgentsPage(chrome, rows, query,
                Pages.pager("/agents", "query=" + Pages.encode(query), request, page, "Newer", "Older"),
                signed.caller().has(Permission.AGENTS_MANAGE), form, curl));
    }

    private void create(HttpCall call) {
        var signed = pages.inOrganization(call);
        Form form = Form.of(call.form());
        try {
            agents.createAgent(signed.caller(), new ManageAgentsUseCase.CreateAgentCommand(null, form.value("name"),
                    form.value("description"), form.value("model")));
            call.redirect("/agents?notice=agent-created");
        } catch (InvalidInputException e) {
            list(call, 422, null, form.withErrors(e));
        } catch (ConflictException | ForbiddenException e) {
            list(call, Pages.status(call, e), e.getMessage(), form);
        }
    }

    private void delete(HttpCall call) {
        var signed = pages.inOrganization(call);
        agents.deleteAgent(signed.caller(), call.pathParam("id"));
        call.redirect("/agents?notice=agent-deleted");
    }
}
