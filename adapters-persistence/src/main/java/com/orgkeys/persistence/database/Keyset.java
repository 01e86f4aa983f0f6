package com.orgkeys.persistence.database;

import com.orgkeys.domain.shared.Cursor;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset pagination for every list: rows ordered by a time column and a unique tie-breaker, both descending
 * (newest first) or both ascending, so that one row-value comparison {@code (at, tie) < (?, ?)} starts a page
 * anywhere with one index range scan. A page reads pageSize + 1 rows (is there more?), and the count stops at
 * the cap + 1 rows ({@link Page#COUNT_CAP}, or {@link Page#SEARCH_COUNT_CAP} for a search). Page-number pages (OFFSET) get the same cursors.
 *
 * @param at       the time column, e.g. {@code created_at}
 * @param tie      the tie-breaker column, unique within the list
 * @param tieValue a cursor's tie-breaker as the column's value (e.g. {@code UUID::fromString}); throws
 *                 IllegalArgumentException for a value the column cannot have
 */
public record Keyset(String at, String tie, boolean descending, Function<String, Object> tieValue) {

    private String order(boolean descendingOrder) {
        String way = descendingOrder ? " DESC" : "";
        return at + way + ", " + tie + way;
    }

    private record Keyed<T>(T row, Cursor.Key key) {
    }

    /**
     * @param columns   the row's columns
     * @param from      the tables (with joins) the rows come from
     * @param countFrom the tables the count needs (the same aliases as {@code from}), often fewer
     * @param where     the list's filter, with {@code ?} for {@code params}
     * @param list      the fingerprint of the list and its filters ({@link Cursor#list})
     */
    public <T> Page<T> page(Jdbc jdbc, String columns, String from, String countFrom, String where, List<Object> params,
                            Jdbc.RowMapper<T> map, PageRequest request, String list) {
        return page(jdbc, columns, from, countFrom, where, params, map, request, list, Page.COUNT_CAP);
    }

    /** {@link #page} with the count capped at {@code cap} ({@link Page#countCap}). */
    public <T> Page<T> page(Jdbc jdbc, String columns, String from, String countFrom, String where, List<Object> params,
                            Jdbc.RowMapper<T> map, PageRequest request, String list, int cap) {
        return page(jdbc, columns, from, countFrom, where, params, map, request, list, cap, Plan.DIRECT);
    }

    /**
     * How a page and its count are read.
     *
     * @param keysFirst  the page's tie-breakers first, from {@code countFrom} alone, then its rows by them: for a filter
     *                   on a column the list's index includes, which an index-only scan evaluates without reading the
     *                   table for every row it skips (an index scan reads the row first). The tie-breaker must be
     *                   unique in the whole table.
     * @param countOrder the order the count reads in; null: the list's own (so from the list's index)
     */
    public record Plan(boolean keysFirst, String countOrder) {
        /** The rows in the list's order from its index; the count in that order too (so from that index). */
        public static final Plan DIRECT = new Plan(false, null);
        public static final Plan KEYS_FIRST = new Plan(true, null);

        /**
         * {@link #KEYS_FIRST}, counted in {@code order}: for a filter whose matches an index of its own holds together
         * in that order (keys expired by now, by expiry), where the list's order would skip the others. The order,
         * not only the filter, names that index: a generic plan (a statement run often enough) does not know the
         * filter's value, and left free it chose the list's index and skipped the unexpired keys again.
         */
        public static Plan keysFirstCountedBy(String order) {
            return new Plan(true, java.util.Objects.requireNonNull(order, "order"));
        }
    }

    /** {@link #page} as {@code plan} says. */
    public <T> Page<T> page(Jdbc jdbc, String columns, String from, String countFrom, String where, List<Object> params,
                            Jdbc.RowMapper<T> map, PageRequest request, String list, int cap, Plan plan) {
        boolean keysFirst = plan.keysFirst();
        int size = request.pageSize();
        Cursor.Direction direction = request.cursor().map(Cursor::direction).orElse(Cursor.Direction.AFTER);
        boolean forward = direction == Cursor.Direction.AFTER;
        List<Object> pageParams = new ArrayList<>(params);
        String condition = where;
        if (request.cursor().isPresent()) {
            Cursor cursor = request.cursor().get().requireList(list);
            Object tieBreaker;
            try {
                tieBreaker = tieValue.apply(cursor.key().tieBreaker());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(Cursor.FIELD, "is not a cursor from this list");
            }
            condition = "(" + where + ") AND (" + at + ", " + tie + ") " + (forward == descending ? "<" : ">") + " (?, ?)";
            pageParams.add(cursor.key().at());
            pageParams.add(tieBreaker);
        }
        // read in the list's order going forward, against it going back (then reversed)
        pageParams.add(size + 1);
        pageParams.add(request.cursor().isPresent() ? 0 : request.offset());
        String pageOrder = order(forward == descending);
        String way = forward == descending ? " DESC" : "";
        // (the rows joined to the page's keys in the keys' order, which the planner keeps: no sort)
        String query = keysFirst
                ? "SELECT " + columns + ", p.keyset_at, p.keyset_key::text AS keyset_tie FROM (SELECT " + at
                + " AS keyset_at, " + tie + " AS keyset_key FROM " + countFrom + " WHERE " + condition + " ORDER BY "
                + pageOrder + " LIMIT ? OFFSET ?) AS p JOIN " + from + " ON " + tie + " = p.keyset_key ORDER BY p.keyset_at"
                + way + ", p.keyset_key" + way
                : "SELECT " + columns + ", " + at + " AS keyset_at, " + tie + "::text AS keyset_tie FROM " + from
                + " WHERE " + condition + " ORDER BY " + pageOrder + " LIMIT ? OFFSET ?";
        List<Keyed<T>> rows = new ArrayList<>(jdbc.list(query,
                row -> new Keyed<>(map.map(row), new Cursor.Key(Jdbc.instant(row, "keyset_at"), row.getString("keyset_tie"))),
                pageParams.toArray()));
        boolean more = rows.size() > size;
        if (more) rows.removeLast();
        if (!forward) Collections.reverse(rows);
        boolean behind = request.cursor().isPresent() || request.offset() > 0;
        // A page-number page with nothing after it knows the count; otherwise count in the list's order, so that the
        // count reads the list's index too (never a scan of the whole table). A short search result costs one query.
        long counted = request.cursor().isEmpty() && !more && (request.offset() == 0 || !rows.isEmpty())
                ? request.offset() + rows.size()
                : jdbc.count("SELECT count(*) FROM (SELECT 1 FROM " + countFrom + " WHERE " + where
                + " ORDER BY " + (plan.countOrder() != null ? plan.countOrder() : order(descending))
                + " LIMIT " + (cap + 1) + ") AS capped", params.toArray());
        return Page.keyset(rows, counted, cap, request, more, behind, Keyed::key, list).map(Keyed::row);
    }
}
