package com.orgkeys.application.contract;

import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.agent.AgentId;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static com.orgkeys.application.contract.Fixtures.T0;
import static com.orgkeys.application.contract.Fixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public abstract class AgentRepositoryContract extends RepositoryContract {
    @Test
    public void inserted_agent_is_found_in_its_organization_only() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        Agent agent = given.agent(acme, "support-bot", T0);

        assertEquals(Optional.of(agent), repositories.agents().find(acme.id(), agent.id()));
        assertEquals(Optional.empty(), repositories.agents().find(other.id(), agent.id()));
        assertEquals(new Page<>(List.of(), 0), repositories.agents().page(other.id(), PageRequest.first(10)));
        assertEquals(Optional.empty(), repositories.agents().find(acme.id(), new AgentId("nobody")));
    }

    @Test
    public void an_existing_id_is_a_conflict_but_the_same_id_in_another_organization_is_not() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        Agent agent = given.agent(acme, "support-bot", T0);

        assertThrows(ConflictException.class, () -> repositories.agents().insert(
                Fixtures.newAgent(acme, "support-bot", at(Duration.ofDays(1)))));
        assertEquals(Optional.of(agent), repositories.agents().find(acme.id(), agent.id()));

        Agent othersAgent = given.agent(other, "support-bot", at(Duration.ofDays(2)));
        assertEquals(Optional.of(othersAgent), repositories.agents().find(other.id(), agent.id()));
        assertEquals(Optional.of(agent), repositories.agents().find(acme.id(), agent.id()));
    }

    @Test
    public void pages_come_newest_first_and_agents_created_in_the_same_instant_latest_inserted_first() {
        Organization acme = given.organization("Acme");
        Agent oldest = given.agent(acme, "a-oldest", at(Duration.ofDays(1)));
        Agent newest = given.agent(acme, "b-newest", at(Duration.ofDays(5)));
        // same created_at: inserted later comes first, whatever their ids
        Agent tieFirst = given.agent(acme, "z-tie", at(Duration.ofDays(3)));
        Agent tieSecond = given.agent(acme, "a-tie", at(Duration.ofDays(3)));
        Agent middle = given.agent(acme, "c-middle", at(Duration.ofDays(2)));
        given.agent(given.organization("Other"), "elsewhere", at(Duration.ofDays(4)));

        assertEquals(new Page<>(List.of(newest, tieSecond, tieFirst), 5),
                repositories.agents().page(acme.id(), new PageRequest(1, 3)).withoutCursors());
        assertEquals(new Page<>(List.of(middle, oldest), 5),
                repositories.agents().page(acme.id(), new PageRequest(2, 3)).withoutCursors());
        assertEquals(new Page<>(List.of(), 5), repositories.agents().page(acme.id(), new PageRequest(3, 3)));
    }

    @Test
    public void delete_removes_the_agent_once_and_only_in_its_organization() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        Agent agent = given.agent(acme, "support-bot", T0);
        Agent othersAgent = given.agent(other, "support-bot", T0);

        assertFalse(repositories.agents().delete(given.organization("Third").id(), agent.id()));
        assertTrue(repositories.agents().delete(acme.id(), agent.id()));
        assertFalse(repositories.agents().delete(acme.id(), agent.id()));

        assertEquals(Optional.empty(), repositories.agents().find(acme.id(), agent.id()));
        assertEquals(Optional.of(othersAgent), repositories.agents().find(other.id(), agent.id()));
    }

    @Test
    public void deleting_the_organization_deletes_its_agents_and_only_its_agents() {
        Organization acme = given.organization("Acme");
        Organization other = given.organization("Other");
        given.agent(acme, "support-bot", T0);
        Agent othersAgent = given.agent(other, "support-bot", T0);

        repositories.organizations().delete(acme.id());

        assertEquals(new Page<>(List.of(), 0), repositories.agents().page(acme.id(), PageRequest.first(10)));
        assertEquals(new Page<>(List.of(othersAgent), 1), repositories.agents().page(other.id(), PageRequest.first(10)));
    }

    @Test
    public void an_id_freed_by_a_delete_can_be_used_again() {
        Organization acme = given.organization("Acme");
        Agent agent = given.agent(acme, "support-bot", T0);
        repositories.agents().delete(acme.id(), agent.id());

        Agent again = given.agent(acme, "support-bot", at(Duration.ofDays(1)));

        assertEquals(Optional.of(again), repositories.agents().find(acme.id(), agent.id()));
    }

    // ---- search and cursors -----------------------------------------------------------------------------------

    @Test
    public void search_matches_name_or_description_case_insensitively_with_wildcards_taken_literally_or_the_exact_id() {
        Organization acme = given.organization("Acme");
        Agent byDescription = agent(acme, "billing-bot", "Bot", "pays the BILLS", at(Duration.ofDays(1)));
        Agent byName = agent(acme, "a2", "The BILLING helper", "", at(Duration.ofDays(2)));
        Agent percent = given.agent(acme, "p1", at(Duration.ofDays(3)));
        Agent underscore = agent(acme, "u1", "snake_case", "100% sure", at(Duration.ofDays(4)));
        given.agent(given.organization("Other"), "billing-elsewhere", at(Duration.ofDays(5)));

        assertEquals(List.of(byName, byDescription), search(acme, "bill"));
        assertEquals(List.of(underscore), search(acme, "e_c"));
        assertEquals(List.of(underscore), search(acme, "0% S"));
        assertEquals(List.of(), search(acme, "%%"));
        assertEquals(List.of(percent), search(acme, "does P1")); // the fixture's description
        // an id is matched whole and as written (ids are case-sensitive), not by its parts
        assertEquals(List.of(byDescription), search(acme, "billing-bot"));
        assertEquals(List.of(), search(acme, "Billing-Bot"));
        assertEquals(List.of(), search(acme, "ing-b"));
        assertEquals(4, repositories.agents().page(acme.id(), null, PageRequest.first(10)).totalCount());
    }

    @Test
    public void insert_all_writes_in_order_and_answers_which_ids_were_free() {
        Organization acme = given.organization("Acme");
        Agent taken = given.agent(acme, "taken", at(Duration.ofDays(1)));
        Agent first = Fixtures.newAgent(acme, "twice", at(Duration.ofDays(2)));
        Agent second = new Agent(first.id(), acme.id(), "the second one", "", "m", at(Duration.ofDays(2)), first.createdBy());
        Agent sameInstant = Fixtures.newAgent(acme, "same-instant", at(Duration.ofDays(2)));
        Agent again = Fixtures.newAgent(acme, "taken", at(Duration.ofDays(3)));

        assertEquals(List.of(true, false, false, true), repositories.agents().insertAll(List.of(first, second, again, sameInstant)));

        assertEquals(Optional.of(first), repositories.agents().find(acme.id(), first.id()), "the first of two with one id");
        assertEquals(Optional.of(taken), repositories.agents().find(acme.id(), taken.id()));
        assertEquals(List.of(sameInstant, first, taken),
                repositories.agents().page(acme.id(), PageRequest.first(10)).data(), "insertion order breaks the tie");
    }

    @Test
    public void insert_all_with_an_unknown_organization_inserts_nothing() {
        Organization acme = given.organization("Acme");
        Agent fine = Fixtures.newAgent(acme, "fine", at(Duration.ofDays(1)));
        Agent orphan = new Agent(new AgentId("orphan"), OrganizationId.random(), "Orphan", "", "m", at(Duration.ofDays(1)),
                fine.createdBy());

        assertThrows(ConflictException.class, () -> repositories.agents().insertAll(List.of(fine, orphan)));

        assertEquals(Optional.empty(), repositories.agents().find(acme.id(), fine.id()));
    }

    private Agent agent(Organization organization, String id, String name, String description, java.time.Instant at) {
        Agent agent = new Agent(new AgentId(id), organization.id(), name, description, "m", at,
                Fixtures.newAgent(organization, id, at).createdBy());
        repositories.agents().insert(agent);
        return agent;
    }

    private List<Agent> search(Organization organization, String text) {
        Page<Agent> page = repositories.agents().page(organization.id(), text, PageRequest.first(10));
        assertEquals(page.data().size(), page.totalCount());
        return page.data();
    }

    /** Seven agents, three created in the same instant, in the list's order (created_at, then insertion, descending). */
    private List<Agent> sevenAgents(Organization organization, String prefix) {
        List<Agent> agents = new java.util.ArrayList<>();
        for (int i = 1; i <= 7; i++) agents.add(given.agent(organization, prefix + i, at(Duration.ofDays(i <= 3 ? 3 : i))));
        List<Agent> ordered = new java.util.ArrayList<>(agents.reversed());
        return ordered;
    }

    @Test
    public void a_cursor_walk_visits_every_agent_once_while_newer_agents_are_created() {
        Organization acme = given.organization("Acme");
        List<Agent> agents = sevenAgents(acme, "agent-");
        int[] made = {0};
        Supplier<Agent> another = () -> given.agent(acme, "new-" + ++made[0], at(Duration.ofDays(20)));
        KeysetChecks.walkVisitsEveryRowOnceWhileRowsArrive(page -> repositories.agents().page(acme.id(), page), agents,
                List.of(another, another));
        KeysetChecks.pageNumberPagesCarryCursors(page -> repositories.agents().page(acme.id(), page), 9);
    }

    @Test
    public void a_search_walks_with_cursors_and_refuses_a_cursor_of_another_search() {
        Organization acme = given.organization("Acme");
        List<Agent> found = sevenAgents(acme, "found-");
        sevenAgents(acme, "other-");
        int[] made = {0};
        KeysetChecks.walkVisitsEveryRowOnceWhileRowsArrive(page -> repositories.agents().page(acme.id(), "FOUND", page),
                found, List.of(() -> given.agent(acme, "found-new-" + ++made[0], at(Duration.ofDays(20)))));
        KeysetChecks.cursorIsRefusedElsewhere(page -> repositories.agents().page(acme.id(), "found", page),
                page -> repositories.agents().page(acme.id(), "FOUND", page));
        KeysetChecks.cursorIsRefusedElsewhere(page -> repositories.agents().page(acme.id(), "found", page),
                page -> repositories.agents().page(acme.id(), page));
        KeysetChecks.cursorIsRefusedElsewhere(page -> repositories.agents().page(acme.id(), page),
                page -> repositories.agents().page(given.organization("Other").id(), page));
    }
}
