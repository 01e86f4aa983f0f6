package com.orgkeys.domain.shared;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a list; the number of rows the whole list has, exact up to {@link #COUNT_CAP} (beyond it
 * {@code totalCount} is the cap and {@code totalCountExact} false); cursors to the pages after and before it
 * (empty on the last and the first page).
 */
public record Page<T>(List<T> data, long totalCount, boolean totalCountExact, Optional<Cursor> nextCursor,
                      Optional<Cursor> previousCursor) {
    /** Lists count their rows up to this many; more is "10,000+". */
    public static final int COUNT_CAP = 10_000;
    /**
     * Searches count up to this many ("100+"): a common word's matches are found by walking the list and matching
     * each row's text, so its count costs in proportion to the cap (1,000 matches of a word on a fifth of a
     * million keys: 5,000 rows, ~10 ms; 100 matches: ~1 ms).
     */
    public static final int SEARCH_COUNT_CAP = 100;

    public Page {
        data = List.copyOf(data);
        Objects.requireNonNull(nextCursor, "nextCursor");
        Objects.requireNonNull(previousCursor, "previousCursor");
    }

    /** A page with an exact count and no cursors: the whole list, or an empty one. */
    public Page(List<T> data, long totalCount) {
        this(data, totalCount, true, Optional.empty(), Optional.empty());
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(data.stream().map(mapper).toList(), totalCount, totalCountExact, nextCursor, previousCursor);
    }

    /** The same page without its cursors (for comparing the rows and count only). */
    public Page<T> withoutCursors() {
        return new Page<>(data, totalCount, totalCountExact, Optional.empty(), Optional.empty());
    }

    /** The cap of a list's count: {@link #SEARCH_COUNT_CAP} when it is filtered by a search text, else {@link #COUNT_CAP}. */
    public static int countCap(String searchText) {
        return searchText == null ? COUNT_CAP : SEARCH_COUNT_CAP;
    }

    /**
     * Cuts a page out of a complete list in its order (for in-memory stores), as the SQL stores do: {@code key}
     * gives a row's sort key, {@code order} the list's order of keys, {@code list} the fingerprint of the list and
     * its filters ({@link Cursor#list}).
     */
    public static <T> Page<T> of(List<T> all, PageRequest request, Function<T, Cursor.Key> key,
                                 Comparator<Cursor.Key> order, String list) {
        return of(all, request, key, order, list, COUNT_CAP);
    }

    /** {@link #of(List, PageRequest, Function, Comparator, String)} with the count capped at {@code cap}. */
    public static <T> Page<T> of(List<T> all, PageRequest request, Function<T, Cursor.Key> key,
                                 Comparator<Cursor.Key> order, String list, int cap) {
        int size = request.pageSize();
        List<T> data;
        boolean more;   // rows beyond the page, in the direction it was read
        boolean behind; // rows on the other side of the page
        Cursor.Direction direction = request.cursor().map(Cursor::direction).orElse(Cursor.Direction.AFTER);
        if (request.cursor().isPresent()) {
            Cursor cursor = request.cursor().get().requireList(list);
            List<T> side = new ArrayList<>();
            for (T row : all) {
                int c = order.compare(key.apply(row), cursor.key());
                if (direction == Cursor.Direction.AFTER ? c > 0 : c < 0) side.add(row);
            }
            more = side.size() > size;
            data = direction == Cursor.Direction.AFTER ? side.subList(0, Math.min(size, side.size()))
                    : side.subList(Math.max(0, side.size() - size), side.size());
            behind = true;
        } else {
            int from = Math.min(all.size(), request.offset());
            int to = Math.min(all.size(), from + size);
            data = all.subList(from, to);
            more = all.size() > to;
            behind = from > 0;
        }
        return keyset(data, all.size(), cap, request, more, behind, key, list);
    }

    /**
     * A page read for {@code request} (in its cursor's direction; AFTER for a page-number page), with {@code more}
     * rows beyond it in that direction and {@code behind} rows on its other side; {@code counted} rows matched,
     * counting at most {@code cap + 1}. Both cursors point from the page's first and last rows; an empty cursor
     * page (its rows were deleted meanwhile) points back from the request's cursor, so that it is no dead end.
     */
    public static <T> Page<T> keyset(List<T> data, long counted, int cap, PageRequest request, boolean more,
                                     boolean behind, Function<T, Cursor.Key> key, String list) {
        Cursor.Direction direction = request.cursor().map(Cursor::direction).orElse(Cursor.Direction.AFTER);
        boolean after = direction == Cursor.Direction.AFTER;
        if (data.isEmpty() && request.cursor().isPresent()) {
            Cursor.Key from = request.cursor().get().key();
            Optional<Cursor> back = Optional.of(new Cursor(after ? Cursor.Direction.BEFORE : Cursor.Direction.AFTER, from, list));
            return new Page<>(data, Math.min(counted, cap), counted <= cap,
                    after ? Optional.empty() : back, after ? back : Optional.empty());
        }
        return new Page<>(data, Math.min(counted, cap), counted <= cap,
                cursor(data, Cursor.Direction.AFTER, after ? more : behind, key, list),
                cursor(data, Cursor.Direction.BEFORE, after ? behind : more, key, list));
    }

    private static <T> Optional<Cursor> cursor(List<T> data, Cursor.Direction direction, boolean rowsThere,
                                               Function<T, Cursor.Key> key, String list) {
        if (!rowsThere || data.isEmpty()) return Optional.empty();
        T boundary = direction == Cursor.Direction.AFTER ? data.getLast() : data.getFirst();
        return Optional.of(new Cursor(direction, key.apply(boundary), list));
    }
}
