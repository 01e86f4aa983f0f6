package com.orgkeys.domain.apikey;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.Actor.UserActor;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A key's lifecycle: active ⇄ disabled, then revoked or expired for good. */
class ApiKeyTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant LATER = NOW.plus(Duration.ofMinutes(5));

    private static ApiKey key(Optional<Instant> expiresAt) {
        return new ApiKey(ApiKeyId.random(), OrganizationId.random(), "Deploy", "", Set.of(Permission.AGENTS_READ),
                "hash", "hint", new UserActor(UserId.random()), NOW, expiresAt, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    @Test
    void a_new_key_is_active_enabled_and_last_changed_when_made() {
        ApiKey key = key(Optional.empty());
        assertEquals(ApiKeyStatus.ACTIVE, key.statusAt(NOW));
        assertEquals(Optional.empty(), key.disabledAt());
        assertEquals(NOW, key.updatedAt());
        assertFalse(key.isFinishedAt(NOW));
    }

    @Test
    void disabling_and_enabling_are_reversible_and_idempotent() {
        ApiKey disabled = key(Optional.empty()).disable(NOW);
        assertEquals(ApiKeyStatus.DISABLED, disabled.statusAt(LATER));
        assertSame(disabled, disabled.disable(LATER), "the first time stands");

        ApiKey enabled = disabled.enable(LATER);
        assertEquals(ApiKeyStatus.ACTIVE, enabled.statusAt(LATER));
        assertEquals(LATER, enabled.updatedAt());
        assertSame(enabled, enabled.enable(LATER));
        assertFalse(disabled.isFinishedAt(LATER), "a disabled key may work again: not deletable");
    }

    @Test
    void revoked_wins_over_disabled_and_cannot_be_enabled_edited_or_disabled() {
        ApiKey revoked = key(Optional.empty()).disable(NOW).revoke(Optional.of("leaked"), LATER);
        assertEquals(ApiKeyStatus.REVOKED, revoked.statusAt(LATER));
        assertEquals(LATER, revoked.updatedAt());
        assertTrue(revoked.isFinishedAt(LATER));

        var enable = assertThrows(ConflictException.class, () -> revoked.enable(LATER));
        assertTrue(enable.getMessage().contains("is revoked and cannot be enabled"), enable.getMessage());
        assertThrows(ConflictException.class, () -> revoked.edit("x", null, null, LATER));
        assertThrows(ConflictException.class, () -> revoked.disable(LATER));
    }

    @Test
    void an_expired_key_is_expired_even_if_disabled_and_cannot_be_changed() {
        ApiKey expiring = key(Optional.of(LATER)).disable(NOW);
        assertEquals(ApiKeyStatus.DISABLED, expiring.statusAt(NOW));
        assertEquals(ApiKeyStatus.EXPIRED, expiring.statusAt(LATER));
        assertTrue(expiring.isFinishedAt(LATER));
        assertThrows(ConflictException.class, () -> expiring.enable(LATER));
        assertThrows(ConflictException.class, () -> expiring.edit(null, "d", null, LATER));
    }

    @Test
    void an_edit_changes_what_it_names_and_nothing_else() {
        ApiKey key = key(Optional.empty()).disable(NOW);
        ApiKey edited = key.edit("Renamed", null, Set.of(), LATER);

        assertEquals("Renamed", edited.name());
        assertEquals("", edited.description());
        assertEquals(Set.of(), edited.scopes());
        assertEquals(key.disabledAt(), edited.disabledAt(), "editing does not enable");
        assertEquals(LATER, edited.updatedAt());
        assertSame(key, key.edit("Deploy", "", Set.of(Permission.AGENTS_READ), LATER), "no change: the same key");
    }

    @Test
    void an_edit_is_validated_like_a_new_key() {
        ApiKey key = key(Optional.empty());
        assertThrows(InvalidInputException.class, () -> key.edit("x".repeat(101), null, null, LATER));
        assertThrows(InvalidInputException.class, () -> key.edit(null, "a\u0000b", null, LATER));
    }

    @Test
    void the_expiring_notice_is_owed_in_the_last_seven_days_of_a_key_made_with_more_left() {
        Instant end = NOW.plus(Duration.ofDays(30));
        ApiKey key = key(Optional.of(end));
        Instant due = end.minus(ApiKey.EXPIRING_NOTICE_LEAD);
        assertFalse(key.owesExpiringNoticeAt(due.minusMillis(1)));
        assertTrue(key.owesExpiringNoticeAt(due));
        assertTrue(key.disable(NOW).owesExpiringNoticeAt(due), "a disabled key still expires");
        assertFalse(key.owesExpiringNoticeAt(end), "expired: only apiKey.expired is owed");
        assertFalse(key.revoke(Optional.empty(), NOW).owesExpiringNoticeAt(due));
        assertFalse(key(Optional.empty()).owesExpiringNoticeAt(due), "never expires");
        assertFalse(key(Optional.of(NOW.plus(Duration.ofDays(3)))).owesExpiringNoticeAt(NOW.plus(Duration.ofDays(1))),
                "made with three days left");
        assertFalse(key(Optional.of(NOW.plus(ApiKey.EXPIRING_NOTICE_LEAD))).owesExpiringNoticeAt(NOW),
                "made with exactly seven days left");
    }

    @Test
    void the_expired_notice_is_owed_once_the_expiry_passed_unless_revoked() {
        ApiKey key = key(Optional.of(LATER));
        assertFalse(key.owesExpiredNoticeAt(LATER.minusMillis(1)));
        assertTrue(key.owesExpiredNoticeAt(LATER));
        assertTrue(key.disable(NOW).owesExpiredNoticeAt(LATER));
        assertFalse(key.revoke(Optional.empty(), NOW).owesExpiredNoticeAt(LATER));
        assertFalse(key(Optional.empty()).owesExpiredNoticeAt(LATER.plus(Duration.ofDays(9999))));
    }
}
