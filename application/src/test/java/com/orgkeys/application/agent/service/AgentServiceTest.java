package com.orgkeys.application.agent.service;

import com.orgkeys.application.account.port.in.ManageSessionsUseCase.SignedIn;
import com.orgkeys.application.agent.port.in.ManageAgentsUseCase.CreateAgentCommand;
import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase.CreateApiKeyCommand;
import com.orgkeys.application.testing.TestApplication;
import com.orgkeys.domain.agent.Agent;
import com.orgkeys.domain.agent.AgentId;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.caller.Actor.ApiKeyActor;
import com.orgkeys.domain.caller.ApiKeyCaller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.ForbiddenException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.PageRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentServiceTest {
    private static final CreateAgentCommand SUPPORT_BOT = new CreateAgentCommand("support-bot", "Support", "", "gpt-x");

    private final TestApplication app = new TestApplication();
    private SignedIn alice;
    private Organization acme;

    @BeforeEach
    void aliceAdministersAcme() {
        alice = app.signUp("Alice");
        acme = app.organization("Acme", alice);
    }

    @Test
    public void a_key_with_agents_read_only_cannot_create_an_agent() {
        ApiKeyCaller reader = apiKey(acme, alice, "org:agents:read");

        assertThrows(ForbiddenException.class, () -> app.agents.createAgent(reader, SUPPORT_BOT));

        assertEquals(0, app.agents.listAgents(admin(), PageRequest.first(10)).totalCount());
    }

    @Test
    public void a_key_with_agents_manage_creates_agents_recorded_as_made_by_the_key() {
        ApiKeyCaller manager = apiKey(acme, alice, "org:agents:manage");

        Agent agent = app.agents.createAgent(manager, SUPPORT_BOT);

        assertEquals(new ApiKeyActor(new ApiKeyId(manager.keyId())), agent.createdBy());
        assertEquals(Optional.of(agent), app.agentRepository.find(acme.id(), new AgentId("support-bot")));
    }

    @Test
    public void another_organizations_agent_is_not_found() {
        SignedIn bob = app.signUp("Bob");
        Organization other = app.organization("Other", bob);
        Agent othersAgent = app.agents.createAgent(app.callerOf(bob), SUPPORT_BOT);

        assertThrows(NotFoundException.class, () -> app.agents.getAgent(admin(), othersAgent.id().value()));
        assertThrows(NotFoundException.class, () -> app.agents.deleteAgent(admin(), othersAgent.id().value()));

        assertEquals(othersAgent, app.agents.getAgent(app.callerOf(bob), othersAgent.id().value()));
        assertTrue(app.agentRepository.find(other.id(), othersAgent.id()).isPresent());
    }

    @Test
    public void an_id_already_used_in_the_organization_is_a_conflict() {
        app.agents.createAgent(admin(), SUPPORT_BOT);

        var e = assertThrows(ConflictException.class, () -> app.agents.createAgent(admin(), SUPPORT_BOT));
        assertEquals("An agent with id support-bot already exists.", e.getMessage());
    }

    @Test
    public void an_agent_without_an_id_gets_a_generated_one() {
        Agent agent = app.agents.createAgent(admin(), new CreateAgentCommand(null, "Support", "", "gpt-x"));

        assertTrue(agent.id().value().startsWith("agt_"), agent.id().value());
    }

    @Test
    public void every_invalid_field_is_named_at_once() {
        var e = assertThrows(InvalidInputException.class, () -> app.agents.createAgent(admin(),
                new CreateAgentCommand("no spaces allowed", " ", "x".repeat(1001), null)));

        assertEquals(Set.of("id", "name", "description", "model"),
                e.errors().stream().map(FieldError::field).collect(Collectors.toSet()));
    }

    @Test
    public void a_deleted_agent_is_gone_and_deleting_it_again_is_not_found() {
        app.agents.createAgent(admin(), SUPPORT_BOT);

        app.agents.deleteAgent(admin(), "support-bot");

        assertThrows(NotFoundException.class, () -> app.agents.getAgent(admin(), "support-bot"));
        assertThrows(NotFoundException.class, () -> app.agents.deleteAgent(admin(), "support-bot"));
        assertThrows(NotFoundException.class, () -> app.agents.deleteAgent(admin(), "not a valid id"));
    }

    @Test
    public void a_batch_that_fails_on_a_deleted_organization_fails_only_the_agents_it_concerns() {
        Agent fine = new Agent(new AgentId("fine"), acme.id(), "Fine", "", "m", app.clock.instant(),
                new ApiKeyActor(ApiKeyId.random()));
        Agent orphan = new Agent(new AgentId("orphan"), OrganizationId.random(), "Orphan", "", "m", app.clock.instant(),
                fine.createdBy());
        Agent taken = new Agent(new AgentId("fine"), acme.id(), "Taken", "", "m", app.clock.instant(), fine.createdBy());

        List<RuntimeException> failures = app.agents.insertTogether(List.of(fine, orphan, taken));

        assertEquals(null, failures.get(0));
        assertTrue(failures.get(1) instanceof ConflictException, "the orphan: " + failures.get(1));
        assertEquals("An agent with id fine already exists.", failures.get(2).getMessage());
        assertEquals(List.of("fine"), app.agents.listAgents(admin(), PageRequest.first(10)).data().stream()
                .map(a -> a.id().value()).toList());
    }

    @Test
    public void agents_created_at_once_are_all_written_and_a_reused_id_is_refused_once() throws Exception {
        int callers = 40;
        var start = new java.util.concurrent.CountDownLatch(1);
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<String>> outcomes = new java.util.ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String id = i < 2 ? "twice" : "agent-" + i;
                outcomes.add(threads.submit(() -> {
                    start.await();
                    try {
                        return app.agents.createAgent(admin(), new CreateAgentCommand(id, "A", "", "m")).id().value();
                    } catch (ConflictException e) {
                        return "conflict";
                    }
                }));
            }
            start.countDown();
            List<String> answers = new java.util.ArrayList<>();
            for (var outcome : outcomes) answers.add(outcome.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(1, answers.stream().filter("conflict"::equals).count(), answers.toString());
            assertEquals(callers - 1, app.agents.listAgents(admin(), PageRequest.first(100)).totalCount());
        }
    }

    private UserCaller admin() {
        return app.callerOf(alice);
    }

    private ApiKeyCaller apiKey(Organization organization, SignedIn creator, String scope) {
        String secret = app.apiKeys.createApiKey(app.callerOf(creator),
                new CreateApiKeyCommand("Key", "", Optional.of(List.of(scope)), Optional.empty())).secret();
        ApiKeyCaller caller = app.apiKeys.authenticate(secret, TestApplication.ADDRESS).orElseThrow();
        assertEquals(organization.id(), caller.organization());
        return caller;
    }
}
