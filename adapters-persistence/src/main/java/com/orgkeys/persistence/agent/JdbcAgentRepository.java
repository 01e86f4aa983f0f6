package com.orgkeys.persistence.agent;

import com.orgkeys.application.agent.port.out.AgentRepository;
import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.agent.AgentId;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class JdbcAgentRepository implements AgentRepository {
    private static final String COLUMNS = "id, organization_id, name, description, model, created_at, created_by";

    private final Jdbc jdbc;

    public JdbcAgentRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Agent agent) {
        jdbc.update("""
                        INSERT INTO agents (organization_id, id, name, description, model, created_at, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""",
                agent.organizationId().value(), agent.id().value(), agent.name(), agent.description(), agent.model(),
                agent.createdAt(), agent.createdBy().value());
    }

    @Override
    public Optional<Agent> find(OrganizationId organizationId, AgentId id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM agents WHERE organization_id = ? AND id = ?",
                JdbcAgentRepository::map, organizationId.value(), id.value());
    }

    @Override
    public Page<Agent> page(OrganizationId organizationId, PageRequest page) {
        // One round trip. The total is a sub-select that PostgreSQL runs once (an index-only count), so that
        // the page itself is read from the newest-first index and stops after its rows: a window count over
        // the rows would read and sort every agent of the organization for every page.
        List<Agent> data = new ArrayList<>();
        long[] total = {0};
        jdbc.list("""
                        SELECT %s, (SELECT count(*) FROM agents WHERE organization_id = ?) AS total
                        FROM agents WHERE organization_id = ?
                        ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?""".formatted(COLUMNS),
                row -> {
                    total[0] = row.getLong("total");
                    return data.add(map(row));
                }, organizationId.value(), organizationId.value(), page.pageSize(), page.offset());
        if (data.isEmpty() && page.offset() > 0) {
            total[0] = jdbc.count("SELECT count(*) FROM agents WHERE organization_id = ?", organizationId.value());
        }
        return new Page<>(data, total[0]);
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
