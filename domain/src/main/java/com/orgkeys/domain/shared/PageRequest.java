package com.orgkeys.domain.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which page of a list: {@code page} counts from 1, {@code pageSize} is 1–100; or, with a {@code cursor}, the page
 * just after or before the cursor's row (then {@code page} is 1: a cursor and a page number exclude each other).
 */
public record PageRequest(int page, int pageSize, Optional<Cursor> cursor) {
    public static final int MAX_PAGE = 1_000_000;
    public static final int MAX_PAGE_SIZE = 100;
    /** A page number skips (page - 1) x pageSize rows, each read: at most this many; deeper pages take a cursor. */
    public static final int MAX_OFFSET = 1_000_000;

    public PageRequest {
        Objects.requireNonNull(cursor, "cursor");
        List<FieldError> errors = new ArrayList<>();
        if (page < 1 || page > MAX_PAGE) errors.add(new FieldError("page", "must be 1–1000000"));
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) errors.add(new FieldError("pageSize", "must be 1–100"));
        if (errors.isEmpty() && (long) (page - 1) * pageSize > MAX_OFFSET) {
            errors.add(new FieldError("page", "may skip at most 1,000,000 rows (page - 1 times pageSize); use a cursor to go further"));
        }
        if (cursor.isPresent() && page != 1) errors.add(new FieldError(Cursor.FIELD, "use either cursor or page"));
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
    }

    public PageRequest(int page, int pageSize) {
        this(page, pageSize, Optional.empty());
    }

    public static PageRequest first(int pageSize) {
        return new PageRequest(1, pageSize);
    }

    public static PageRequest at(Cursor cursor, int pageSize) {
        return new PageRequest(1, pageSize, Optional.of(cursor));
    }

    public int offset() {
        return (page - 1) * pageSize;
    }
}
