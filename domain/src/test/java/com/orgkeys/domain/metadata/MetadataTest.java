package com.orgkeys.domain.metadata;

import com.orgkeys.domain.shared.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetadataTest {
    /**
     * Stands in for the adapters' JSON writer: the domain measures whatever text the writer gives, so a writer whose
     * length is easy to predict is enough here (the HTTP tests measure Jackson's JSON).
     */
    static final Function<Map<String, Object>, String> WRITER = Map::toString;

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) map.put((String) keyValues[i], keyValues[i + 1]);
        return map;
    }

    @Test
    void a_merge_is_deep_and_a_null_removes_its_key() {
        Metadata stored = Metadata.of("m", map("a", 1, "nested", map("x", 1, "y", 2), "list", List.of(1, 2)), WRITER);

        Metadata merged = stored.merge("m", map("nested", map("y", null, "z", 3), "list", List.of(3), "b", true,
                "gone", null), WRITER);

        assertEquals(map("a", 1, "nested", map("x", 1, "z", 3), "list", List.of(3), "b", true), merged.values());
    }

    @Test
    void an_object_replaces_a_scalar_and_a_scalar_an_object() {
        Metadata stored = Metadata.of("m", map("a", 1, "b", map("c", 1)), WRITER);

        assertEquals(map("a", map("x", 1), "b", 2), stored.merge("m", map("a", map("x", 1), "b", 2), WRITER).values());
    }

    @Test
    void only_json_objects_of_json_values_without_nul_within_the_limits_are_metadata() {
        for (Object bad : List.of(List.of(), "text", 1, true, map("k", "a\u0000b"), map("a\u0000", 1),
                map("k", new Object()), map("k", Double.NaN), map("k", Double.POSITIVE_INFINITY))) {
            var e = assertThrows(InvalidInputException.class, () -> Metadata.of("private_metadata", bad, WRITER), String.valueOf(bad));
            assertEquals("private_metadata", e.errors().get(0).field());
        }
        assertThrows(InvalidInputException.class, () -> Metadata.of("m", null, WRITER));
    }

    @Test
    void the_size_limit_counts_the_written_bytes_and_holds_after_a_merge() {
        String almost = "x".repeat(Metadata.MAX_BYTES - "{k=}".length());
        assertEquals(Metadata.MAX_BYTES, Metadata.of("m", map("k", almost), WRITER).json().length());
        assertThrows(InvalidInputException.class, () -> Metadata.of("m", map("k", almost + "x"), WRITER));
        // a multi-byte character counts its UTF-8 bytes
        assertThrows(InvalidInputException.class, () -> Metadata.of("m", map("k", almost.substring(1) + "é"), WRITER));

        Metadata half = Metadata.of("m", map("a", "y".repeat(5000)), WRITER);
        assertThrows(InvalidInputException.class, () -> half.merge("m", map("b", "y".repeat(5000)), WRITER));
    }

    @Test
    void nesting_is_bounded() {
        Map<String, Object> deep = map("leaf", 1);
        for (int i = 1; i < Metadata.MAX_DEPTH; i++) deep = map("d", deep);
        Metadata.of("m", deep, WRITER);
        Map<String, Object> tooDeep = map("d", deep);
        assertThrows(InvalidInputException.class, () -> Metadata.of("m", tooDeep, WRITER));
    }

    @Test
    void metadata_cannot_be_changed_through_what_it_was_made_from() {
        Map<String, Object> source = map("a", 1);
        Metadata metadata = Metadata.of("m", source, WRITER);
        source.put("b", 2);
        assertEquals(map("a", 1), metadata.values());
        assertThrows(UnsupportedOperationException.class, () -> metadata.values().put("c", 3));
    }
}
