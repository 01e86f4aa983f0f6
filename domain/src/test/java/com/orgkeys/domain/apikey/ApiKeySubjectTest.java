package com.orgkeys.domain.apikey;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.Actor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiKeySubjectTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final UserId BOB = new UserId(UUID.fromString("00000000-0000-4000-8000-00000000000b"));

    private static ApiKey key() {
        return new ApiKey(ApiKeyId.random(), OrganizationId.random(), "Deploy", "", Set.of(Permission.AGENTS_READ,
                Permission.AGENTS_MANAGE), "hash", "ok_…abcd", new Actor.UserActor(BOB), NOW, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    public void an_organizations_key_has_its_scopes_whatever_its_creator_holds() {
        ApiKey key = key();
        assertEquals(ApiKeySubject.ORGANIZATION, key.subject());
        assertEquals(key.scopes(), key.effectiveScopes(Set.of()));
    }

    @Test
    public void a_users_key_has_only_the_scopes_its_user_holds_and_keeps_its_owner_through_every_change() {
        ApiKey key = key().ownedBy(BOB);
        assertEquals(ApiKeySubject.of(BOB), key.subject());
        assertEquals(Set.of(Permission.AGENTS_READ), key.effectiveScopes(Set.of(Permission.AGENTS_READ, Permission.PROFILE_MANAGE)));
        assertEquals(Set.of(), key.effectiveScopes(Set.of()), "no longer a member: nothing");

        ApiKey changed = key.edit("Renamed", null, Set.of(Permission.AGENTS_READ), NOW).disable(NOW).enable(NOW)
                .rotate("hash2", "ok_…efgh", Duration.ofHours(1), NOW).usedAt(NOW).revoke(Optional.of("owner_left"), NOW);
        assertEquals(Optional.of(BOB), changed.owner());
    }

    @Test
    public void a_subject_filter_is_organization_or_user_and_an_id() {
        assertEquals(ApiKeySubject.ORGANIZATION, ApiKeySubject.parse("subject", "organization"));
        assertEquals(ApiKeySubject.of(BOB), ApiKeySubject.parse("subject", "user:" + BOB));
        assertEquals("user:" + BOB, ApiKeySubject.of(BOB).toString());
        for (String bad : new String[]{null, "", "user", "user:", "user:1-1-1-1-1", "user:" + BOB + "x", "Organization",
                "user:" + BOB.toString().replace('-', '\0')}) {
            var refused = assertThrows(InvalidInputException.class, () -> ApiKeySubject.parse("subject", bad), bad);
            assertEquals("subject", refused.errors().getFirst().field());
        }
    }
}
