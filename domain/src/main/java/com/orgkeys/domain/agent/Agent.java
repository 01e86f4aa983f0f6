package com.orgkeys.domain.agent;

import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.Text;

import java.time.Instant;
import java.util.Objects;

/** An AI agent an organization keeps. */
public record Agent(AgentId id, OrganizationId organizationId, String name, String description, String model,
                    Instant createdAt, Actor createdBy) {
    public Agent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        name = Text.singleLine("name", name, 100);
        description = Text.multiLine("description", description, 1000);
        model = Text.singleLine("model", model, 100);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
    }
}
