package com.orgkeys.domain.shared;

import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.membership.Permission;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextTest {
    @Test
    void cleaned_text_drops_control_characters_and_lone_surrogates_and_keeps_at_most_max_code_points() {
        assertEquals("EvilAgent/1.0 x", Text.cleaned("Evil\u0000Agent\u0001/1.0\u007f\u0085\r\n x\ud800", 300));
        assertEquals("\uD83D\uDE80\uD83D\uDE80", Text.cleaned("\uD83D\uDE80".repeat(5), 2), "a pair is one code point, never split");
        assertEquals("", Text.cleaned(null, 10));
    }

    @Test
    void a_session_keeps_only_a_cleaned_user_agent() {
        Instant now = Instant.parse("2025-03-01T10:00:00Z");
        Session session = new Session(new SessionId(UUID.randomUUID()), new UserId(UUID.randomUUID()), "hash",
                Optional.empty(), now, now, "Mozilla\u0000/5.0\n" + "y".repeat(1000), "192.0.2.1", Optional.empty());
        assertEquals("Mozilla/5.0" + "y".repeat(289), session.userAgent());
    }

    @Test
    void single_line_text_refuses_control_characters_naming_the_field() {
        var e = assertThrows(InvalidInputException.class, () -> Text.singleLine("name", "a\u0000b", 100));
        assertEquals("name", e.errors().getFirst().field());
    }

    @Test
    void a_null_permission_is_invalid_input_not_a_crash() {
        var e = assertThrows(InvalidInputException.class, () -> new Permission(null));
        assertEquals("permissions", e.errors().getFirst().field());
    }
}
