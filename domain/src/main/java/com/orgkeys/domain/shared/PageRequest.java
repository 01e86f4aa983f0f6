package com.orgkeys.domain.shared;

import java.util.ArrayList;
import java.util.List;

/** Which page of a list: {@code initialPage} counts from 1, {@code pageSize} is 1–100. */
public record PageRequest(int initialPage, int pageSize) {
    public static final int MAX_PAGE_SIZE = 100;

    public PageRequest {
        List<FieldError> errors = new ArrayList<>();
        if (initialPage < 1 || initialPage > 1_000_000) errors.add(new FieldError("initialPage", "must be 1–1000000"));
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) errors.add(new FieldError("pageSize", "must be 1–100"));
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
    }

    public static PageRequest first(int pageSize) {
        return new PageRequest(1, pageSize);
    }

    public int offset() {
        return (initialPage - 1) * pageSize;
    }
}
