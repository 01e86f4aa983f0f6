package com.orgkeys.domain.shared;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvalidInputExceptionTest {
    @Test
    void identical_errors_are_reported_once_in_their_order() {
        var e = new InvalidInputException(List.of(new FieldError("a", "x"), new FieldError("b", "y"),
                new FieldError("a", "x"), new FieldError("a", "z")));
        assertEquals(List.of(new FieldError("a", "x"), new FieldError("b", "y"), new FieldError("a", "z")), e.errors());
        assertEquals("a: x; b: y; a: z", e.getMessage());
    }

    @Test
    void at_most_twenty_errors_are_kept_however_many_are_given() {
        List<FieldError> many = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) many.add(new FieldError("permissions", "unknown permission '" + i + "'"));
        long started = System.nanoTime();
        var e = new InvalidInputException(many);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(20, e.errors().size());
        assertEquals(many.subList(0, 20), e.errors());
        assertTrue(e.getMessage().length() < 1_000, e.getMessage());
        assertTrue(millis < 2_000, "took " + millis + " ms"); // linear: a few ms; the old summary took minutes
    }

    @Test
    void a_mebibyte_of_the_same_error_costs_one_error() {
        var e = new InvalidInputException(Collections.nCopies(260_000, new FieldError("scopes", "unknown scope 'a'")));
        assertEquals(1, e.errors().size()); // first: on failure, printing a list of 260,000 would drown the report
        assertEquals(new FieldError("scopes", "unknown scope 'a'"), e.errors().getFirst());
    }

    @Test
    void a_field_error_quotes_at_most_a_few_hundred_characters_of_what_the_client_sent() {
        var error = new FieldError("x".repeat(100_000), "unknown permission '" + "\uD83D\uDE80".repeat(100_000) + "'");
        assertEquals(200, error.field().length());
        assertTrue(error.message().length() <= 500, "" + error.message().length());
        assertTrue(error.message().endsWith("\uDE80…"), "never half a character: " + error.message().substring(480));
        assertEquals("short", new FieldError("f", "short").message());
    }

    @Test
    void an_exception_without_errors_is_a_bug() {
        assertThrows(IllegalArgumentException.class, () -> new InvalidInputException(List.of()));
    }
}
