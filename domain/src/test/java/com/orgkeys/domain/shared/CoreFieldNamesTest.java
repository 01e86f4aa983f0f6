package com.orgkeys.domain.shared;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.organization.OrganizationId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The model names its own fields in its errors; an adapter says how its clients call them. */
class CoreFieldNamesTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void a_page_request_names_page_and_page_size() {
        var e = assertThrows(InvalidInputException.class, () -> new PageRequest(0, 101));

        assertEquals(List.of(new FieldError("page", "must be 1–1000000"), new FieldError("pageSize", "must be 1–100")),
                e.errors());
    }

    @Test
    void a_revocation_names_its_reason() {
        ApiKey key = new ApiKey(ApiKeyId.random(), OrganizationId.random(), "k", "", Set.of(), "hash", "hint",
                new UserActor(UserId.random()), NOW, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        var e = assertThrows(InvalidInputException.class, () -> key.revoke(Optional.of("x".repeat(501)), NOW));

        assertEquals(List.of(new FieldError("reason", "must be at most 500 characters")), e.errors());
    }
}
