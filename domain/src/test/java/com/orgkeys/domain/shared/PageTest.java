package com.orgkeys.domain.shared;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageTest {
    private static final String LIST = Cursor.list("numbers");
    private static final Comparator<Cursor.Key> NEWEST_FIRST = Cursor.Key.order(true, Comparator.comparingLong(Long::parseLong));

    private static Page<Integer> page(int rows, PageRequest request) {
        List<Integer> all = IntStream.range(0, rows).map(i -> rows - i).boxed().toList(); // newest (highest) first
        return Page.of(all, request, i -> new Cursor.Key(Instant.ofEpochSecond(i / 3), Integer.toString(i)), NEWEST_FIRST, LIST);
    }

    @Test
    void the_count_is_exact_up_to_ten_thousand_rows_and_capped_beyond() {
        Page<Integer> exact = page(10_000, PageRequest.first(10));
        assertEquals(10_000, exact.totalCount());
        assertTrue(exact.totalCountExact());
        Page<Integer> capped = page(10_001, PageRequest.first(10));
        assertEquals(10_000, capped.totalCount());
        assertFalse(capped.totalCountExact());
    }

    @Test
    void cursors_lead_to_the_neighbouring_pages_and_are_empty_at_the_ends() {
        Page<Integer> first = page(7, PageRequest.first(3));
        assertEquals(List.of(7, 6, 5), first.data());
        assertTrue(first.previousCursor().isEmpty());
        Page<Integer> second = page(7, PageRequest.at(first.nextCursor().orElseThrow(), 3));
        assertEquals(List.of(4, 3, 2), second.data());
        Page<Integer> last = page(7, PageRequest.at(second.nextCursor().orElseThrow(), 3));
        assertEquals(List.of(1), last.data());
        assertTrue(last.nextCursor().isEmpty());
        assertEquals(second.data(), page(7, PageRequest.at(last.previousCursor().orElseThrow(), 3)).data());
        Page<Integer> backToFirst = page(7, PageRequest.at(second.previousCursor().orElseThrow(), 3));
        assertEquals(first.data(), backToFirst.data());
        assertTrue(backToFirst.previousCursor().isEmpty());
        assertEquals(page(0, PageRequest.first(3)), new Page<>(List.of(), 0));
    }

    @Test
    void an_empty_cursor_page_leads_back_to_the_rows_before_its_cursor() {
        // the page after row 1 (the oldest), as a cursor kept while the rows after it were deleted
        Cursor afterOldest = new Cursor(Cursor.Direction.AFTER, new Cursor.Key(Instant.ofEpochSecond(0), "1"), LIST);
        Page<Integer> empty = page(7, PageRequest.at(afterOldest, 3));
        assertTrue(empty.data().isEmpty());
        assertTrue(empty.nextCursor().isEmpty());
        assertEquals(List.of(4, 3, 2), page(7, PageRequest.at(empty.previousCursor().orElseThrow(), 3)).data());
        Cursor beforeNewest = new Cursor(Cursor.Direction.BEFORE, new Cursor.Key(Instant.ofEpochSecond(7 / 3), "7"), LIST);
        Page<Integer> none = page(7, PageRequest.at(beforeNewest, 3));
        assertTrue(none.data().isEmpty() && none.previousCursor().isEmpty());
        assertEquals(List.of(6, 5, 4), page(7, PageRequest.at(none.nextCursor().orElseThrow(), 3)).data());
    }
}
