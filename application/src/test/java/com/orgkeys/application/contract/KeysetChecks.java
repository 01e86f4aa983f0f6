package com.orgkeys.application.contract;

import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks every keyset list passes, whatever its rows: one list is a function from a page request to a page. */
final class KeysetChecks {
    private static final int SIZE = 3;

    private KeysetChecks() {
    }

    /**
     * Walks the list with nextCursor from its first page, adding a row that belongs before the walk's first row
     * ({@code arriving}: newer, in a newest-first list) between pages: the walk visits exactly {@code expected},
     * in order (no duplicates, no gaps, no newcomer mid-walk). Walking back with previousCursor from the last page
     * returns the same pages, then a page of the newcomers, which has no previousCursor.
     */
    static <T> void walkVisitsEveryRowOnceWhileRowsArrive(Function<PageRequest, Page<T>> list, List<T> expected,
                                                          List<Supplier<T>> arriving) {
        List<Page<T>> forward = new ArrayList<>();
        Page<T> page = list.apply(PageRequest.first(SIZE));
        assertTrue(page.previousCursor().isEmpty(), "the first page has a previousCursor");
        forward.add(page);
        List<T> arrived = new ArrayList<>();
        while (page.nextCursor().isPresent()) {
            if (arrived.size() < arriving.size()) arrived.add(arriving.get(arrived.size()).get());
            page = list.apply(PageRequest.at(page.nextCursor().get(), SIZE));
            forward.add(page);
            assertTrue(forward.size() <= expected.size() + 1, "the walk does not end");
        }
        assertEquals(expected, forward.stream().flatMap(p -> p.data().stream()).toList());
        assertEquals(expected.size() + arrived.size(), page.totalCount());
        assertEquals(arriving.size(), arrived.size(), "the walk was too short to add every row");

        List<T> before = new ArrayList<>();
        for (int i = forward.size() - 2; page.previousCursor().isPresent(); i--) {
            page = list.apply(PageRequest.at(page.previousCursor().get(), SIZE));
            if (i >= 0) {
                assertEquals(forward.get(i).data(), page.data(), "walking back, page " + (i + 1));
            } else {
                before.addAll(page.data());
            }
            assertTrue(i > -expected.size(), "the walk back does not end");
        }
        assertEquals(new HashSet<>(arrived), new HashSet<>(before), "walking back past the first page");
        assertEquals(arrived.size(), before.size());
    }

    /** Page-number pages carry the same cursors: from page n, nextCursor is page n + 1 and previousCursor page n - 1. */
    static <T> void pageNumberPagesCarryCursors(Function<PageRequest, Page<T>> list, int rows) {
        int pages = (rows + SIZE - 1) / SIZE;
        for (int n = 1; n <= pages; n++) {
            Page<T> page = list.apply(new PageRequest(n, SIZE));
            if (n < pages) {
                assertEquals(list.apply(new PageRequest(n + 1, SIZE)).data(),
                        list.apply(PageRequest.at(page.nextCursor().orElseThrow(), SIZE)).data(), "after page " + n);
            } else {
                assertTrue(page.nextCursor().isEmpty(), "the last page has a nextCursor");
            }
            if (n > 1) {
                assertEquals(list.apply(new PageRequest(n - 1, SIZE)).data(),
                        list.apply(PageRequest.at(page.previousCursor().orElseThrow(), SIZE)).data(), "before page " + n);
            } else {
                assertTrue(page.previousCursor().isEmpty(), "the first page has a previousCursor");
            }
        }
    }

    /** A cursor of page 1 of {@code made}, given to {@code other} (another list, organization or filters), is refused. */
    static <T, U> void cursorIsRefusedElsewhere(Function<PageRequest, Page<T>> made, Function<PageRequest, Page<U>> other) {
        Cursor cursor = made.apply(PageRequest.first(1)).nextCursor().orElseThrow();
        for (Cursor either : List.of(cursor, new Cursor(Cursor.Direction.BEFORE, cursor.key(), cursor.list()))) {
            var refused = assertThrows(InvalidInputException.class, () -> other.apply(PageRequest.at(either, SIZE)));
            assertEquals(List.of(Cursor.FIELD), refused.errors().stream().map(e -> e.field()).distinct().toList());
        }
    }
}
