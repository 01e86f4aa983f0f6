package com.orgkeys.persistence.agent;

import com.orgkeys.application.agent.port.out.AgentRepository;
import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.agent.AgentId;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.database.Keyset;
import com.orgkeys.persistence.database.Like;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

public final class JdbcAgentRepository implements AgentRepository {
    private static final String COLUMNS = "id, organization_id, name, description, model, created_at, created_by";

    /** Newest first, ties by insertion (seq): the order of agents_newest_first. */
    private static final Keyset KEYSET = new Keyset("created_at", "seq", true, Long::parseLong);
    /** What a search looks in: the expression of the trigram index agents_search_name_description_trgm (V15). */
    private static final String SEARCHABLE = Like.searchable("name", "description");

    private final Jdbc jdbc;

    public JdbcAgentRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Boolean> insertAll(List<Agent> agents) {
        // One statement, one commit for the lot (a group commit of concurrent creations); unnest keeps the list's
        // order, so seq follows it, and a second agent with an id the list already had is skipped like a taken one.
        Set<List<Object>> inserted = new HashSet<>(jdbc.list("""
                        INSERT INTO agents (organization_id, id, name, description, model, created_at, created_by)
                        SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[])
                        ON CONFLICT (organization_id, id) DO NOTHING
                        RETURNING organization_id, id""",
                row -> List.of(Jdbc.uuid(row, "organization_id"), row.getString("id")),
                column(agents, a -> a.organizationId().value()), column(agents, a -> a.id().value()),
                column(agents, Agent::name), column(agents, Agent::description), column(agents, Agent::model),
                column(agents, Agent::createdAt), column(agents, a -> a.createdBy().value())));
        List<Boolean> answers = new ArrayList<>(agents.size());
        for (Agent agent : agents) answers.add(inserted.remove(List.of(agent.organizationId().value(), agent.id().value())));
        return answers;
    }

    private static List<Object> column(List<Agent> agents, Function<Agent, Object> value) {
        return agents.stream().map(value).toList();
    }

    @Override
    public Optional<Agent> find(OrganizationId organizationId, AgentId id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM agents WHERE organization_id = ? AND id = ?",
                JdbcAgentRepository::map, organizationId.value(), id.value());
    }

    @Override
    public Page<Agent> page(OrganizationId organizationId, String text, PageRequest page) {
        List<Object> params = new ArrayList<>(List.of(organizationId.value()));
        String where = "organization_id = ?";
        if (text != null) {
            // the same search as the API keys, and an exact id (the primary key's): random ids in the trigram index
            // cost every insert more than a search of their parts is worth
            where += " AND (" + Like.contains(SEARCHABLE, text, params) + " OR id = ?)";
            params.add(text);
        }
        // a search's plan depends on its pattern (Jdbc.plannedForValues)
        return KEYSET.page(text != null ? jdbc.plannedForValues() : jdbc, COLUMNS, "agents", "agents", where, params,
                JdbcAgentRepository::map, page,
                Cursor.list("agents", organizationId, text), Page.countCap(text));
    }

    @Override
    public boolean delete(OrganizationId organizationId, AgentId id) {
        return jdbc.update("DELETE FROM agents WHERE organization_id = ? AND id = ?", organizationId.value(), id.value()) > 0;
    }

    private static Agent map(ResultSet row) throws SQLException {
        return new Agent(new AgentId(row.getString("id")), new OrganizationId(Jdbc.uuid(row, "organization_id")),
                row.getString("name"), row.getString("description"), row.getString("model"),
                Jdbc.instant(row, "created_at"), Actor.of(row.getString("created_by")));
    }
}
