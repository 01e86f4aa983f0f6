package com.orgkeys.domain.agent;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AgentTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void an_agent_names_every_invalid_text_field_at_once() {
        var e = assertThrows(InvalidInputException.class, () -> new Agent(AgentId.generate(), OrganizationId.random(),
                " ", "bad\u0000", null, NOW, new UserActor(UserId.random())));

        assertEquals(List.of(new FieldError("name", "must be 1–100 characters"),
                new FieldError("description", "must not contain control characters"),
                new FieldError("model", "is required")), e.errors());
    }
}
