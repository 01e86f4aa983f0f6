package com.orgkeys.domain.shared;

import java.util.ArrayList;
import java.util.List;

/** Which page of a list: {@code page} counts from 1, {@code pageSize} is 1–100. */
public record PageRequest(int page, int pageSize) {
    public static final int MAX_PAGE = 1_000_000;
    public static final int MAX_PAGE_SIZE = 100;

    public PageRequest {
        List<FieldError> errors = new ArrayList<>();
        if (page < 1 || page > MAX_PAGE) errors.add(new FieldError("page", "must be 1–1000000"));
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) errors.add(new FieldError("pageSize", "must be 1–100"));
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
    }

    public static PageRequest first(int pageSize) {
        return new PageRequest(1, pageSize);
    }

    public int offset() {
        return (page - 1) * pageSize;
    }
}
