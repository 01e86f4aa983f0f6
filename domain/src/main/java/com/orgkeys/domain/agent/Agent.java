package com.orgkeys.domain.agent;

import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.Text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static com.orgkeys.domain.shared.Validation.collect;
import static com.orgkeys.domain.shared.Validation.throwIfAny;

/** An AI agent an organization keeps. */
public record Agent(AgentId id, OrganizationId organizationId, String name, String description, String model,
                    Instant createdAt, Actor createdBy) {
    public Agent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        // every text field at once, so that a client sees all its problems in one answer
        List<FieldError> errors = new ArrayList<>();
        name = collect(errors, name, n -> Text.singleLine("name", n, 100));
        description = collect(errors, description, d -> Text.multiLine("description", d, 1000));
        model = collect(errors, model, m -> Text.singleLine("model", m, 100));
        throwIfAny(errors);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
    }
}
