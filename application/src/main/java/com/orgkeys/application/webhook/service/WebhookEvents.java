package com.orgkeys.application.webhook.service;

import com.orgkeys.domain.organization.OrganizationId;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** What a use case calls, inside its transaction, to tell webhook endpoints about a change. */
public interface WebhookEvents {
    /** For services built without webhooks (tests of other features): records nothing. */
    WebhookEvents NONE = (organization, type, data) -> Optional.empty();

    /**
     * Records an event of {@code organization} (empty: of the instance, such as a user's) for every endpoint that
     * receives it; the message id, or empty when no endpoint does (then nothing is written). {@code data} is the
     * object in the backend API's shape, never a secret. Call inside the change's transaction: the event exists if
     * and only if the change commits.
     */
    Optional<String> record(Optional<OrganizationId> organization, String type, Map<String, Object> data);

    /**
     * As {@link #record(Optional, String, Map)}, building {@code data} only when an endpoint receives the event: for
     * data that costs a read, on paths (sign-in, sign-out) that should cost nothing more when nobody listens.
     */
    default Optional<String> recordLazily(Optional<OrganizationId> organization, String type,
                                          Supplier<Map<String, Object>> data) {
        return this == NONE ? Optional.empty() : record(organization, type, data.get());
    }
}
