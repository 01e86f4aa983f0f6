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
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A rotation's grace arithmetic: the previous secret works until the end of its grace period, not a moment more. */
class ApiKeyRotationTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private static ApiKey key(Optional<Instant> expiresAt) {
        return new ApiKey(ApiKeyId.random(), OrganizationId.random(), "Deploy", "", Set.of(Permission.AGENTS_READ),
                "old", "hint-old", new UserActor(UserId.random()), NOW.minus(HOUR), expiresAt, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    @Test
    void the_previous_secret_works_until_the_grace_end_exclusive() {
        ApiKey rotated = key(Optional.empty()).rotate("new", "hint-new", HOUR, NOW);
        assertEquals("new", rotated.secretHash());
        assertEquals("hint-new", rotated.hint());
        assertEquals(NOW, rotated.updatedAt());
        assertEquals(List.of("new", "old"), rotated.secretHashes());
        ApiKey.Rotation rotation = rotated.rotation().orElseThrow();
        assertEquals(NOW, rotation.rotatedAt());
        assertEquals(NOW.plus(HOUR), rotation.previousSecretExpiresAt());
        assertEquals(Optional.of(NOW.plus(HOUR)), rotated.secretExpiresAt("old"));
        assertEquals(Optional.empty(), rotated.secretExpiresAt("new"), "the new secret has the key's (no) expiry");
        assertEquals(Optional.of("old"), rotation.previousSecretHashAt(NOW.plus(HOUR).minusNanos(1000)));
        assertEquals(Optional.empty(), rotation.previousSecretHashAt(NOW.plus(HOUR)));
    }

    @Test
    void a_grace_period_never_outlives_the_key() {
        Instant keyEnd = NOW.plus(Duration.ofMinutes(10));
        ApiKey rotated = key(Optional.of(keyEnd)).rotate("new", "h", HOUR, NOW);
        assertEquals(Optional.of(keyEnd), rotated.secretExpiresAt("old"));
    }

    @Test
    void grace_zero_keeps_no_previous_secret() {
        ApiKey rotated = key(Optional.empty()).rotate("new", "h", Duration.ZERO, NOW);
        assertEquals(List.of("new"), rotated.secretHashes());
        assertEquals(NOW, rotated.rotation().orElseThrow().previousSecretExpiresAt());
    }

    @Test
    void a_second_rotation_keeps_only_the_secret_it_replaces() {
        ApiKey twice = key(Optional.empty()).rotate("second", "h", HOUR, NOW)
                .rotate("third", "h", HOUR, NOW.plusSeconds(60));
        assertEquals(List.of("third", "second"), twice.secretHashes(), "the first secret stops at once");
    }

    @Test
    void the_grace_period_is_bounded() {
        assertThrows(InvalidInputException.class, () -> key(Optional.empty()).rotate("n", "h", Duration.ofSeconds(-1), NOW));
        assertThrows(InvalidInputException.class,
                () -> key(Optional.empty()).rotate("n", "h", ApiKey.MAX_GRACE_PERIOD.plusSeconds(1), NOW));
        key(Optional.empty()).rotate("n", "h", ApiKey.MAX_GRACE_PERIOD, NOW);
    }

    @Test
    void only_an_active_key_can_be_rotated() {
        assertThrows(ConflictException.class, () -> key(Optional.empty()).disable(NOW).rotate("n", "h", HOUR, NOW));
        assertThrows(ConflictException.class,
                () -> key(Optional.empty()).revoke(Optional.empty(), NOW).rotate("n", "h", HOUR, NOW));
        assertThrows(ConflictException.class, () -> key(Optional.of(NOW)).rotate("n", "h", HOUR, NOW));
    }

    @Test
    void other_changes_keep_the_rotation() {
        ApiKey rotated = key(Optional.empty()).rotate("new", "h", HOUR, NOW);
        assertEquals(rotated.rotation(), rotated.disable(NOW).enable(NOW).edit("x", null, null, NOW)
                .usedAt(NOW).revoke(Optional.empty(), NOW).rotation());
    }
}
