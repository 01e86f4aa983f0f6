package com.orgkeys.domain.shared;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CursorTest {
    private static final String LIST = Cursor.list("api-keys", UUID.randomUUID(), null, null);

    @Test
    void a_cursor_survives_its_encoding_url_safe_and_within_200_characters() {
        for (Cursor.Direction direction : Cursor.Direction.values()) {
            Cursor cursor = new Cursor(direction, new Cursor.Key(Instant.parse("2026-01-02T03:04:05.123456Z"),
                    UUID.randomUUID().toString()), LIST);
            String text = cursor.encode();
            assertTrue(text.matches("[A-Za-z0-9_-]{1,200}"), text);
            assertEquals(cursor, Cursor.decode(text));
        }
        Cursor early = new Cursor(Cursor.Direction.AFTER, new Cursor.Key(Instant.parse("1960-01-01T00:00:00.5Z"), "42"), LIST);
        assertEquals(early, Cursor.decode(early.encode()));
    }

    @Test
    void anything_else_is_refused_naming_cursor() {
        String good = new Cursor(Cursor.Direction.AFTER, new Cursor.Key(Instant.EPOCH, "1"), LIST).encode();
        for (String bad : List.of("", "garbage!", "A".repeat(201), good + "=", good.substring(1), encoded("a.0.0.1"),
                encoded("c.0.0.1." + LIST), encoded("a.x.0.1." + LIST), encoded("a.0.1000000000.1." + LIST),
                encoded("a.0.0.Z." + LIST), encoded("a.0.0.." + LIST), encoded("a.0.0.1.short"),
                encoded("a.99999999999999999.0.1." + LIST),
                encoded("a.31556889864403199.0.1." + LIST), encoded("a.-62135596801.0.1." + LIST), encoded("a.0.0.1." + LIST + ".more"), encoded("a.0.0.1.\0" + LIST))) {
            var refused = assertThrows(InvalidInputException.class, () -> Cursor.decode(bad), bad);
            assertEquals("cursor", refused.errors().getFirst().field());
        }
    }

    @Test
    void a_cursor_belongs_to_one_list_with_one_set_of_filters() {
        String org = UUID.randomUUID().toString();
        assertEquals(Cursor.list("agents", org, "bot"), Cursor.list("agents", org, "bot"));
        assertNotEquals(Cursor.list("agents", org, "bot"), Cursor.list("agents", org, null));
        assertNotEquals(Cursor.list("agents", org, null), Cursor.list("audit-events", org));
        assertNotEquals(Cursor.list("ab", "c"), Cursor.list("a", "bc"));
        Cursor cursor = new Cursor(Cursor.Direction.BEFORE, new Cursor.Key(Instant.EPOCH, "1"), Cursor.list("agents", org, "bot"));
        assertEquals(cursor, cursor.requireList(Cursor.list("agents", org, "bot")));
        var refused = assertThrows(InvalidInputException.class, () -> cursor.requireList(Cursor.list("agents", org, null)));
        assertEquals("cursor", refused.errors().getFirst().field());
    }

    @Test
    void a_page_number_and_a_cursor_exclude_each_other() {
        Cursor cursor = new Cursor(Cursor.Direction.AFTER, new Cursor.Key(Instant.EPOCH, "1"), LIST);
        var refused = assertThrows(InvalidInputException.class, () -> new PageRequest(2, 10, java.util.Optional.of(cursor)));
        assertEquals("cursor", refused.errors().getFirst().field());
    }

    @Test
    void a_page_number_skips_at_most_a_million_rows() {
        assertEquals(1_000_000, new PageRequest(10_001, 100).offset());
        assertEquals(999_999, new PageRequest(PageRequest.MAX_PAGE, 1).offset());
        var refused = assertThrows(InvalidInputException.class, () -> new PageRequest(10_002, 100));
        assertEquals("page", refused.errors().getFirst().field());
    }

    private static String encoded(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
